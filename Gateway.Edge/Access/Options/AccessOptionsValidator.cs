using Microsoft.Extensions.Options;

namespace McpPlatform.Gateway.Edge.Access.Options;

/// <summary>Lists every problem of <see cref="AccessOptions"/> at once.</summary>
internal sealed class AccessOptionsValidator : IValidateOptions<AccessOptions>
{
    public ValidateOptionsResult Validate(string? name, AccessOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<string>();
        const string key = AccessOptions.SectionName;
        CheckUrl(problems, $"{key}:AuthorizationServer", options.AuthorizationServer);
        CheckUrl(problems, $"{key}:PublicBaseUrl", options.PublicBaseUrl);
        if (string.IsNullOrWhiteSpace(options.AccessApiService) || string.IsNullOrWhiteSpace(options.AccessApiEndpoint))
        {
            problems.Add($"{key}:AccessApiService and {key}:AccessApiEndpoint must be set.");
        }

        Positive(problems, $"{key}:ValidateTimeout", options.ValidateTimeout);
        if (options.Cache.MaxEntries < 1)
        {
            problems.Add($"{key}:Cache:MaxEntries must be at least 1 (got {options.Cache.MaxEntries}).");
        }

        Positive(problems, $"{key}:Cache:MaxPositiveTtl", options.Cache.MaxPositiveTtl);
        Positive(problems, $"{key}:Cache:MaxNegativeTtl", options.Cache.MaxNegativeTtl);
        if (options.Cache.StaleIfError < TimeSpan.Zero)
        {
            problems.Add($"{key}:Cache:StaleIfError must not be negative (got {options.Cache.StaleIfError}).");
        }
        if (options.Anonymous.RequestsPerSecond < 0 || double.IsInfinity(options.Anonymous.RequestsPerSecond) || double.IsNaN(options.Anonymous.RequestsPerSecond))
        {
            problems.Add($"{key}:Anonymous:RequestsPerSecond must be 0 (unlimited) or a positive number (got {options.Anonymous.RequestsPerSecond}).");
        }

        if (options.Anonymous.Burst < 1)
        {
            problems.Add($"{key}:Anonymous:Burst must be at least 1 (got {options.Anonymous.Burst}).");
        }

        if (options.Limits.AllotmentWindow < TimeSpan.FromMilliseconds(1) || options.Limits.AllotmentWindow > TimeSpan.FromSeconds(1))
        {
            problems.Add($"{key}:Limits:AllotmentWindow must be 1 ms to 1 s (got {options.Limits.AllotmentWindow}).");
        }

        if (options.Limits.MaxAllotment is < 1 or > 10_000)
        {
            problems.Add($"{key}:Limits:MaxAllotment must be 1 to 10000 (got {options.Limits.MaxAllotment}).");
        }

        if (options.Usage.StreamMaxLength < 1000)
        {
            problems.Add($"{key}:Usage:StreamMaxLength must be at least 1000 (got {options.Usage.StreamMaxLength}).");
        }

        if (options.Usage.InProcessCapacity < 1)
        {
            problems.Add($"{key}:Usage:InProcessCapacity must be at least 1 (got {options.Usage.InProcessCapacity}).");
        }

        if (options.Usage.BatchSize is < 1 or > 10_000)
        {
            problems.Add($"{key}:Usage:BatchSize must be 1 to 10000, Access.Api's batch limit (got {options.Usage.BatchSize}).");
        }

        if (options.Usage.BatchWindow < TimeSpan.Zero || options.Usage.BatchWindow > TimeSpan.FromSeconds(10))
        {
            problems.Add($"{key}:Usage:BatchWindow must be 0 to 10 s (got {options.Usage.BatchWindow}).");
        }

        if (options.Usage.AppendWindow < TimeSpan.Zero || options.Usage.AppendWindow > TimeSpan.FromSeconds(1))
        {
            problems.Add($"{key}:Usage:AppendWindow must be 0 to 1 s (got {options.Usage.AppendWindow}).");
        }

        Positive(problems, $"{key}:Usage:RecordTimeout", options.Usage.RecordTimeout);
        Positive(problems, $"{key}:Usage:MaxRetryDelay", options.Usage.MaxRetryDelay);
        Positive(problems, $"{key}:Usage:ClaimIdle", options.Usage.ClaimIdle);
        if (options.AnonymousServers.Any(string.IsNullOrWhiteSpace))
        {
            problems.Add("Gateway:AnonymousServers must not contain empty names.");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    private static void Positive(List<string> problems, string setting, TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            problems.Add($"{setting} must be positive (got {value}).");
        }
    }

    private static void CheckUrl(List<string> problems, string setting, string? value)
    {
        if (value is not null && (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.Query.Length > 0 || uri.Fragment.Length > 0))
        {
            problems.Add($"{setting} must be an absolute http(s) URL without query or fragment (got \"{value}\").");
        }
    }
}
