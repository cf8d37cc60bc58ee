using Microsoft.Extensions.Options;

namespace McpPlatform.Access.Api.Options;

/// <summary>Checks the whole "Access" section at start and lists every problem.</summary>
internal sealed class AccessOptionsValidator : IValidateOptions<AccessOptions>
{
    public ValidateOptionsResult Validate(string? name, AccessOptions options)
    {
        var problems = new List<string>();
        if (options.KeyPepper is not { Length: >= 32 })
        {
            problems.Add("Access:KeyPepper must be at least 32 characters (a long random secret).");
        }

        if (options.Environment is not (null or "live" or "test"))
        {
            problems.Add($"Access:Environment must be 'live' or 'test', not '{options.Environment}'.");
        }

        Positive(problems, "PositiveCacheTtl", options.PositiveCacheTtl);
        Positive(problems, "NegativeCacheTtl", options.NegativeCacheTtl);
        Positive(problems, "LastUsedFlushInterval", options.LastUsedFlushInterval);
        if (options.RotationGracePeriod < TimeSpan.Zero)
        {
            problems.Add("Access:RotationGracePeriod must not be negative.");
        }

        if (options.FailedValidationAuditsPerMinute < 1)
        {
            problems.Add("Access:FailedValidationAuditsPerMinute must be at least 1.");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    private static void Positive(List<string> problems, string name, TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            problems.Add($"Access:{name} must be positive.");
        }
    }
}
