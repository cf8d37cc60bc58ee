namespace McpPlatform.Dispatcher.Grpc.Leases;

/// <summary>The single-node twin of <see cref="RedisSlotLeaseStore"/>: the same rules under one lock.</summary>
internal sealed class InProcessSlotLeaseStore(TimeProvider time) : ISlotLeaseStore
{
    private readonly Dictionary<string, Dictionary<string, long>> _slots = new(StringComparer.Ordinal);

    public ValueTask<int> TryAcquireAsync(string? planKey, int planLimit, IReadOnlyList<string> slotKeys, int slotLimit, string token, TimeSpan ttl, CancellationToken cancellationToken)
    {
        lock (_slots)
        {
            var now = Now();
            var plan = planKey is null ? null : Live(planKey, now, create: true)!;
            if (plan is not null && plan.Count >= planLimit)
            {
                return ValueTask.FromResult(ISlotLeaseStore.PlanFull);
            }

            for (var i = 0; i < slotKeys.Count; i++)
            {
                var leases = Live(slotKeys[i], now, create: true)!;
                if (leases.Count < slotLimit)
                {
                    leases[token] = now + Milliseconds(ttl);
                    plan?[token] = now + Milliseconds(ttl);
                    return ValueTask.FromResult(i);
                }
            }

            return ValueTask.FromResult(ISlotLeaseStore.SlotsFull);
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
