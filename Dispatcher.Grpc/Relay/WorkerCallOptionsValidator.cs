using Microsoft.Extensions.Options;

namespace McpPlatform.Dispatcher.Grpc.Relay;

/// <summary>Rejects a <see cref="WorkerCallOptions"/> that cannot work, naming the setting.</summary>
internal sealed class WorkerCallOptionsValidator : IValidateOptions<WorkerCallOptions>
{
    public ValidateOptionsResult Validate(string? name, WorkerCallOptions options) =>
        options.StreamsPerWorker is < 1 or > 64
            ? ValidateOptionsResult.Fail($"{WorkerCallOptions.SectionName}:StreamsPerWorker must be between 1 and 64 (got {options.StreamsPerWorker}).")
            : ValidateOptionsResult.Success;
}
