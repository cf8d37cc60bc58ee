using Microsoft.Extensions.Options;

namespace McpPlatform.Gateway.Edge.Forwarder;

/// <summary>Lists every problem of <see cref="ForwarderOptions"/> at once.</summary>
internal sealed class ForwarderOptionsValidator : IValidateOptions<ForwarderOptions>
{
    public ValidateOptionsResult Validate(string? name, ForwarderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<string>();
        const string key = ForwarderOptions.SectionName;
        if (options.ActivityTimeout <= TimeSpan.Zero)
        {
            problems.Add($"{key}:ActivityTimeout must be positive (got {options.ActivityTimeout}).");
        }
        if (options.ConnectTimeout <= TimeSpan.Zero)
        {
            problems.Add($"{key}:ConnectTimeout must be positive (got {options.ConnectTimeout}).");
        }
        if (options.UpstreamHttpVersion is not ("1.1" or "2" or "2.0"))
        {
            problems.Add($"{key}:UpstreamHttpVersion must be \"1.1\" or \"2\" (got \"{options.UpstreamHttpVersion}\").");
        }
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
