using Microsoft.Extensions.Options;

namespace McpPlatform.Gateway.Edge.Mcp;

/// <summary>Validates <see cref="McpOptions"/> as a whole at start, listing every problem.</summary>
internal sealed class McpOptionsValidator : IValidateOptions<McpOptions>
{
    public ValidateOptionsResult Validate(string? name, McpOptions options)
    {
        var problems = new List<string>();
        if (options.MaxMessageBytes is < 1024 or > 64 * 1024 * 1024)
        {
            problems.Add($"{McpOptions.SectionName}:MaxMessageBytes must be between 1 KiB and 64 MiB.");
        }

        Positive(options.KeepAliveInterval, nameof(options.KeepAliveInterval), problems);
        Positive(options.SseRetry, nameof(options.SseRetry), problems);
        Positive(options.CatalogCacheTime, nameof(options.CatalogCacheTime), problems);
        Positive(options.SessionIdleTimeout, nameof(options.SessionIdleTimeout), problems);
        if (options.SessionCacheTime < TimeSpan.Zero || options.SessionCacheTime > TimeSpan.FromSeconds(5))
        {
            problems.Add($"{McpOptions.SectionName}:SessionCacheTime must be between 0 and 5 s (a deleted session must not live longer elsewhere).");
        }

        if (options.RequestTimeout is { } timeout && timeout <= TimeSpan.Zero)
        {
            problems.Add($"{McpOptions.SectionName}:RequestTimeout must be positive, or absent for none.");
        }

        foreach (var origin in options.AllowedOrigins)
        {
            if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.AbsolutePath != "/")
            {
                problems.Add($"{McpOptions.SectionName}:AllowedOrigins entry '{origin}' must be scheme://host[:port].");
            }
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    private static void Positive(TimeSpan value, string name, List<string> problems)
    {
        if (value <= TimeSpan.Zero)
        {
            problems.Add($"{McpOptions.SectionName}:{name} must be positive.");
        }
    }
}
