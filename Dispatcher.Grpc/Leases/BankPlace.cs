namespace McpPlatform.Dispatcher.Grpc.Leases;

/// <summary>
/// A place a <see cref="LeaseBank"/> holds in the shared store: a slot place (with its worker and slot) or a plan
/// place. Mutable state is guarded by the bank's lock.
/// </summary>
internal sealed class BankPlace(StorePlace place, string stackKey, string? workerId, string? slotId, bool keepIdle)
{
    public StorePlace Place { get; } = place;

    /// <summary>The bank keeps it under this key: the server for a slot place, the plan key for a plan place.</summary>
    public string StackKey { get; } = stackKey;

    public bool IsPlan => WorkerId is null;

    /// <summary>The worker of a slot place; null for a plan place.</summary>
    public string? WorkerId { get; } = workerId;

    public string? SlotId { get; } = slotId;

    /// <summary>False for places of small plans, which go back to the store as soon as their call ends.</summary>
    public bool KeepIdle { get; } = keepIdle;

    /// <summary>Whether a call holds it now.</summary>
    public bool InUse { get; set; }

    /// <summary>When it was last given back by a call (<see cref="TimeProvider.GetTimestamp"/>).</summary>
    public long IdleSince { get; set; }

    /// <summary>When the store lets it lapse unless renewed, by this replica's clock (timestamp).</summary>
    public long ExpiresAt { get; set; }
}
