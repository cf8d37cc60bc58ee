using System.Runtime.ExceptionServices;

namespace McpPlatform.Gateway.Edge.Access.Policy;

/// <summary>What a call does next with an <see cref="Allotment"/>.</summary>
internal enum AllotmentStepKind
{
    /// <summary>A permit and a unit were taken locally: the decision is final.</summary>
    Taken,

    /// <summary>Another call is reserving for this subject: wait for it, then look again.</summary>
    Wait,

    /// <summary>This call reserves the next chunk (and every other caller waits for it).</summary>
    Reserve,

    /// <summary>The allotment was dropped as idle: look it up again.</summary>
    Retired,
}

/// <summary>One answer of <see cref="Allotment.Next"/>.</summary>
internal readonly record struct AllotmentStep(
    AllotmentStepKind Kind,
    LimitDecision Decision = default,
    Task<AllotmentFlight>? Flight = null,
    AllotmentRequest Request = default);

/// <summary>What one reservation asks Redis for.</summary>
/// <param name="Permits">Rate permits wanted; 0: the call has a local permit.</param>
/// <param name="Units">Quota units wanted; 0: the call has a local unit.</param>
/// <param name="UnitsRequired">True: the call needs a unit (over the quota refuses it); false: a top-up.</param>
/// <param name="Release">Expired units given back in the same call.</param>
/// <param name="SentAt">The replica's timestamp before the call: local windows start here (never after the server's).</param>
internal readonly record struct AllotmentRequest(long Permits, long Units, bool UnitsRequired, long Release, long SentAt);

/// <summary>How a reservation ended, for the calls that waited for it.</summary>
/// <param name="Refused">The limit refused: the waiters get <paramref name="Decision"/> too (they needed the same).</param>
/// <param name="Decision">The reserving call's decision.</param>
/// <param name="Error">Redis failed: the waiters fail the same way.</param>
internal sealed record AllotmentFlight(bool Refused, LimitDecision Decision, ExceptionDispatchInfo? Error);
