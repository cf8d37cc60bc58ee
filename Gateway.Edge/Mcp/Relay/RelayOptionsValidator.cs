using Microsoft.Extensions.Options;

namespace McpPlatform.Gateway.Edge.Mcp.Relay;

/// <summary>Rejects a <see cref="RelayOptions"/> that cannot work, naming the setting.</summary>
internal sealed class RelayOptionsValidator : IValidateOptions<RelayOptions>
{
    public ValidateOptionsResult Validate(string? name, RelayOptions options) =>
        options.StreamsPerTarget is < 1 or > 64
            ? ValidateOptionsResult.Fail($"{RelayOptions.SectionName}:StreamsPerTarget must be between 1 and 64 (got {options.StreamsPerTarget}).")
            : ValidateOptionsResult.Success;
}
