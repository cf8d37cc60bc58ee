using Microsoft.Extensions.Options;

namespace McpPlatform.Dispatcher.Grpc.Options;

/// <summary>Lists every problem of the "Dispatcher" section at once.</summary>
internal sealed class DispatcherOptionsValidator : IValidateOptions<DispatcherOptions>
{
    public ValidateOptionsResult Validate(string? name, DispatcherOptions options)
    {
        var problems = options.Validate().ToList();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
