namespace McpPlatform.Stores.Concurrency;

/// <summary>
/// Limits how many things run at once per key (a plan's concurrent jobs) across every replica. Slots are leases
/// with a time to live, so a crashed holder's slot comes back by itself.
/// </summary>
public interface IConcurrencyLimiter
{
    /// <summary>Takes a slot if fewer than <paramref name="limit"/> are held; null when the limit is reached.</summary>
    ValueTask<ConcurrencyLease?> TryAcquireAsync(string key, int limit, TimeSpan leaseTime, CancellationToken cancellationToken = default);

    /// <summary>Extends a lease by its lease time; false when it was already lost (expired or released).</summary>
    ValueTask<bool> RenewAsync(ConcurrencyLease lease, CancellationToken cancellationToken = default);

    /// <summary>Gives the slot back; releasing twice is harmless.</summary>
    ValueTask ReleaseAsync(ConcurrencyLease lease, CancellationToken cancellationToken = default);

    /// <summary>How many live leases <paramref name="key"/> has.</summary>
    ValueTask<long> CountAsync(string key, CancellationToken cancellationToken = default);
}
