using McpPlatform.Contracts.Access.V1;

namespace McpPlatform.Gateway.Edge.Access.Keys;

/// <summary>What the gateway knows about a presented key: good (the caller), rejected (why), or nothing (Access.Api unreachable).</summary>
internal sealed record KeyValidation(Caller? Caller, Rejection.Types.Reason? Rejection, string? Message, DateTimeOffset? KeyExpiresAt = null)
{
    public static KeyValidation Unavailable { get; } = new(null, null, null);

    public bool IsValid => Caller is not null;

    public bool IsRejected => Rejection is not null;
}
