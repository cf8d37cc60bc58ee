namespace McpPlatform.Dispatcher.Grpc.Leases;

/// <summary>
/// Slot leases shared by every replica: per slot, a set of lease tokens with expiry times (at most
/// max_concurrent_calls_per_slot of them). Redis-backed when configured (a replica's crash returns its leases when
/// their TTL passes), in-process otherwise.
/// </summary>
internal interface ISlotLeaseStore
{
    /// <summary>Takes a place on the first slot of <paramref name="slotKeys"/> with fewer than <paramref name="limit"/> live leases; its index, or -1 when all are full.</summary>
    ValueTask<int> TryAcquireAnyAsync(IReadOnlyList<string> slotKeys, int limit, string token, TimeSpan ttl, CancellationToken cancellationToken);

    /// <summary>Extends a lease; false when it is gone (expired, released, or its worker was lost).</summary>
    ValueTask<bool> RenewAsync(string slotKey, string token, TimeSpan ttl, CancellationToken cancellationToken);

    /// <summary>Gives a lease back; false when it was already gone.</summary>
    ValueTask<bool> ReleaseAsync(string slotKey, string token, CancellationToken cancellationToken);

    /// <summary>Drops every lease on these slots (their worker was lost).</summary>
    ValueTask DropAsync(IReadOnlyList<string> slotKeys, CancellationToken cancellationToken);

    /// <summary>Live leases on a slot.</summary>
    ValueTask<long> CountAsync(string slotKey, CancellationToken cancellationToken);
}
