using McpPlatform.Contracts.Common.V1;

namespace McpPlatform.Dispatcher.Grpc.Leases;

/// <summary>What one attempt to lease a slot gave: a lease, or the busy reason (NoCapacity means "queue and retry").</summary>
internal readonly record struct AcquireOutcome(SlotLease? Lease, Busy.Types.Reason Reason)
{
    public static AcquireOutcome NoCapacity => new(null, Busy.Types.Reason.Unspecified);

    public bool ShouldWait => Lease is null && Reason == Busy.Types.Reason.Unspecified;
}
