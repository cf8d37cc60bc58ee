namespace McpPlatform.Dispatcher.Grpc.Leases;

/// <summary>The single-node twin of <see cref="RedisSlotLeaseStore"/>: the same rules under one lock.</summary>
internal sealed class InProcessSlotLeaseStore(TimeProvider time) : ISlotLeaseStore
{
    private readonly Dictionary<string, Dictionary<string, long>> _slots = new(StringComparer.Ordinal);

    public ValueTask<int> TryAcquireAnyAsync(IReadOnlyList<string> slotKeys, int limit, string token, TimeSpan ttl, CancellationToken cancellationToken)
    {
        lock (_slots)
        {
            var now = Now();
            for (var i = 0; i < slotKeys.Count; i++)
            {
                var leases = Live(slotKeys[i], now, create: true)!;
                if (leases.Count < limit)
                {
                    leases[token] = now + Milliseconds(ttl);
                    return ValueTask.FromResult(i);
                }
            }

            return ValueTask.FromResult(-1);
        }
    }

    public ValueTask<bool> RenewAsync(string slotKey, string token, TimeSpan ttl, CancellationToken cancellationToken)
    {
        lock (_slots)
        {
            var now = Now();
            var leases = Live(slotKey, now, create: false);
            if (leases is null || !leases.ContainsKey(token))
            {
                return ValueTask.FromResult(false);
            }

            leases[token] = now + Milliseconds(ttl);
            return ValueTask.FromResult(true);
        }
    }

    public ValueTask<bool> ReleaseAsync(string slotKey, string token, CancellationToken cancellationToken)
    {
        lock (_slots)
        {
            return ValueTask.FromResult(Live(slotKey, Now(), create: false)?.Remove(token) ?? false);
        }
    }

    public ValueTask DropAsync(IReadOnlyList<string> slotKeys, CancellationToken cancellationToken)
    {
        lock (_slots)
        {
            foreach (var key in slotKeys)
            {
                _slots.Remove(key);
            }
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<long> CountAsync(string slotKey, CancellationToken cancellationToken)
    {
        lock (_slots)
        {
            return ValueTask.FromResult((long)(Live(slotKey, Now(), create: false)?.Count ?? 0));
        }
    }

    private Dictionary<string, long>? Live(string slotKey, long now, bool create)
    {
        if (!_slots.TryGetValue(slotKey, out var leases))
        {
            if (!create)
            {
                return null;
            }

            leases = new Dictionary<string, long>(StringComparer.Ordinal);
            _slots[slotKey] = leases;
        }

        foreach (var (token, expiresAt) in leases)
        {
            if (expiresAt <= now)
            {
                leases.Remove(token);
            }
        }

        return leases;
    }

    private long Now() => (long)(time.GetTimestamp() * (1000d / time.TimestampFrequency));

    private static long Milliseconds(TimeSpan ttl) => (long)Math.Ceiling(ttl.TotalMilliseconds);
}
