using Microsoft.Extensions.Options;

namespace McpPlatform.Stores.Hosting;

/// <summary>Lists every problem of the "Stores" section at once.</summary>
internal sealed class StoreOptionsValidator : IValidateOptions<StoreOptions>
{
    public ValidateOptionsResult Validate(string? name, StoreOptions options)
    {
        var problems = options.Validate().ToList();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
