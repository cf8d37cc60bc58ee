using System.Collections.Concurrent;

namespace McpPlatform.Stores.Concurrency;

/// <summary>The single-node twin of <see cref="RedisConcurrencyLimiter"/>: leases with expiry times, under a lock per key.</summary>
internal sealed class InProcessConcurrencyLimiter(TimeProvider time) : IConcurrencyLimiter
{
    private readonly ConcurrentDictionary<string, Dictionary<string, long>> _leases = new(StringComparer.Ordinal);

    public ValueTask<ConcurrencyLease?> TryAcquireAsync(string key, int limit, TimeSpan leaseTime, CancellationToken cancellationToken = default)
    {
        LeaseIds.Validate(key, limit, leaseTime);
        cancellationToken.ThrowIfCancellationRequested();
        var leases = _leases.GetOrAdd(key, static _ => new Dictionary<string, long>(StringComparer.Ordinal));
        lock (leases)
        {
            var now = NowMilliseconds();
            DropExpired(leases, now);
            if (leases.Count >= limit)
            {
                return ValueTask.FromResult<ConcurrencyLease?>(null);
            }

            var id = LeaseIds.New();
            leases[id] = now + (long)Math.Ceiling(leaseTime.TotalMilliseconds);
            return ValueTask.FromResult<ConcurrencyLease?>(new ConcurrencyLease(this, key, id, leaseTime));
        }
    }

    public ValueTask<bool> RenewAsync(ConcurrencyLease lease, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        if (!_leases.TryGetValue(lease.Key, out var leases))
        {
            return ValueTask.FromResult(false);
        }

        lock (leases)
        {
            var now = NowMilliseconds();
            DropExpired(leases, now);
            if (!leases.ContainsKey(lease.Id))
            {
                return ValueTask.FromResult(false);
            }

            leases[lease.Id] = now + (long)Math.Ceiling(lease.LeaseTime.TotalMilliseconds);
            return ValueTask.FromResult(true);
        }
    }

    public ValueTask ReleaseAsync(ConcurrencyLease lease, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        if (lease.MarkReleased() && _leases.TryGetValue(lease.Key, out var leases))
        {
            lock (leases)
            {
                leases.Remove(lease.Id);
            }
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<long> CountAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        if (!_leases.TryGetValue(key, out var leases))
        {
            return ValueTask.FromResult(0L);
        }

        lock (leases)
        {
            DropExpired(leases, NowMilliseconds());
            return ValueTask.FromResult((long)leases.Count);
        }
    }

    private long NowMilliseconds() => (long)(time.GetTimestamp() * (1000d / time.TimestampFrequency));

    private static void DropExpired(Dictionary<string, long> leases, long now)
    {
        foreach (var (id, expiresAt) in leases)
        {
            if (expiresAt <= now)
            {
                leases.Remove(id);
            }
        }
    }
}
