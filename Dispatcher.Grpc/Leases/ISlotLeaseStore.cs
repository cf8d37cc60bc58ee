namespace McpPlatform.Dispatcher.Grpc.Leases;

/// <summary>
/// Slot leases shared by every replica: per slot, a set of lease tokens with expiry times (at most
/// max_concurrent_calls_per_slot of them). Redis-backed when configured (a replica's crash returns its leases when
/// their TTL passes), in-process otherwise.
/// </summary>
internal interface ISlotLeaseStore
{
    /// <summary>Takes a place on the first slot of <paramref name="slotKeys"/> with fewer than <paramref name="limit"/> live leases; its index, or -1 when all are full.</summary>
    ValueTask<int> TryAcquireAnyAsync(IReadOnlyList<string> slotKeys, int limit, string token, TimeSpan ttl, CancellationToken cancellationToken) =>
        TryAcquireAsync(null, 0, slotKeys, limit, token, ttl, cancellationToken);

    /// <summary>
    /// In one step (one round trip to Redis, so no other replica sees half of it): a place on the plan's set
    /// <paramref name="planKey"/> (at most <paramref name="planLimit"/>; skipped when null) and on the first slot of
    /// <paramref name="slotKeys"/> with fewer than <paramref name="slotLimit"/> leases, both under
    /// <paramref name="token"/>. The slot's index; <see cref="SlotsFull"/> when every slot is full, or
    /// <see cref="PlanFull"/> when the plan is, and then no place was taken anywhere.
    /// </summary>
    ValueTask<int> TryAcquireAsync(string? planKey, int planLimit, IReadOnlyList<string> slotKeys, int slotLimit, string token, TimeSpan ttl, CancellationToken cancellationToken);

    /// <summary>What <see cref="TryAcquireAsync"/> answers when every slot is full.</summary>
    const int SlotsFull = -1;

    /// <summary>What <see cref="TryAcquireAsync"/> answers when the plan's concurrent jobs are all taken.</summary>
    const int PlanFull = -2;

    /// <summary>Extends a lease; false when it is gone (expired, released, or its worker was lost).</summary>
    ValueTask<bool> RenewAsync(string slotKey, string token, TimeSpan ttl, CancellationToken cancellationToken);

    /// <summary>Gives a lease back; false when it was already gone.</summary>
    ValueTask<bool> ReleaseAsync(string slotKey, string token, CancellationToken cancellationToken);

    /// <summary>Drops every lease on these slots (their worker was lost).</summary>
    ValueTask DropAsync(IReadOnlyList<string> slotKeys, CancellationToken cancellationToken);

    /// <summary>
    /// A lease bank's block, in one step: see <see cref="BlockRequest"/>. The plan is checked first (full: nothing
    /// taken); slot places are taken over the slots in order; when slots were wanted and none was free nothing is
    /// taken; then as many plan places as wanted and free.
    /// </summary>
    ValueTask<BlockReservation> ReserveBlockAsync(BlockRequest request, CancellationToken cancellationToken);

    /// <summary>Extends many places in one step; for each place (in order) whether it was still held.</summary>
    ValueTask<IReadOnlyList<bool>> RenewPlacesAsync(IReadOnlyList<StorePlace> places, TimeSpan ttl, CancellationToken cancellationToken);

    /// <summary>Gives many places back in one step (places already gone are ignored).</summary>
    ValueTask ReturnPlacesAsync(IReadOnlyList<StorePlace> places, CancellationToken cancellationToken);

    /// <summary>Live leases on a slot.</summary>
    ValueTask<long> CountAsync(string slotKey, CancellationToken cancellationToken);
}
