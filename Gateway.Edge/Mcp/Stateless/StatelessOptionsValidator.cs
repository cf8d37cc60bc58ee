using Microsoft.Extensions.Options;

namespace McpPlatform.Gateway.Edge.Mcp.Stateless;

/// <summary>Checks <see cref="StatelessOptions"/> at start, every problem listed.</summary>
internal sealed class StatelessOptionsValidator : IValidateOptions<StatelessOptions>
{
    public ValidateOptionsResult Validate(string? name, StatelessOptions options)
    {
        var problems = new List<string>();
        if (options.CacheTtl < TimeSpan.Zero || options.CacheTtl > TimeSpan.FromDays(1))
        {
            problems.Add($"{StatelessOptions.SectionName}:CacheTtl must be between 0 and 1 day.");
        }

        if (options.CacheScope is not ("public" or "private"))
        {
            problems.Add($"{StatelessOptions.SectionName}:CacheScope must be \"public\" or \"private\".");
        }

        if (options.InputTimeout < TimeSpan.FromSeconds(1) || options.InputTimeout > TimeSpan.FromHours(1))
        {
            problems.Add($"{StatelessOptions.SectionName}:InputTimeout must be between 1 second and 1 hour.");
        }

        if (options.ReplicaUrl is { } url && (!url.IsAbsoluteUri || url.Scheme is not ("http" or "https")))
        {
            problems.Add($"{StatelessOptions.SectionName}:ReplicaUrl must be an absolute http or https URL (how other gateway replicas reach this one).");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
