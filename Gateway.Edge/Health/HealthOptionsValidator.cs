using Microsoft.Extensions.Options;

namespace McpPlatform.Gateway.Edge.Health;

/// <summary>Lists every problem of <see cref="HealthOptions"/> at once.</summary>
internal sealed class HealthOptionsValidator : IValidateOptions<HealthOptions>
{
    public ValidateOptionsResult Validate(string? name, HealthOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<string>();
        const string key = HealthOptions.SectionName;
        if (options.Active.Interval <= TimeSpan.Zero)
        {
            problems.Add($"{key}:Active:Interval must be positive (got {options.Active.Interval}).");
        }
        if (options.Active.Timeout <= TimeSpan.Zero)
        {
            problems.Add($"{key}:Active:Timeout must be positive (got {options.Active.Timeout}).");
        }
        if (string.IsNullOrWhiteSpace(options.Active.Path) || !options.Active.Path.StartsWith('/'))
        {
            problems.Add($"{key}:Active:Path must be a path starting with '/' (got \"{options.Active.Path}\").");
        }
        if (options.Passive.ConsecutiveFailures < 1)
        {
            problems.Add($"{key}:Passive:ConsecutiveFailures must be at least 1 (got {options.Passive.ConsecutiveFailures}).");
        }
        if (options.Passive.ReactivationPeriod <= TimeSpan.Zero)
        {
            problems.Add($"{key}:Passive:ReactivationPeriod must be positive (got {options.Passive.ReactivationPeriod}).");
        }
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
