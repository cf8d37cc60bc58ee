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

    public ValueTask<BlockReservation> ReserveBlockAsync(BlockRequest request, CancellationToken cancellationToken)
    {
        lock (_slots)
        {
            var now = Now();
            var expiresAt = now + Milliseconds(request.Ttl);
            var plan = request.PlanWant > 0 ? Live(request.PlanKey!, now, create: true)! : null;
            if (plan is not null && plan.Count >= request.PlanLimit)
            {
                return ValueTask.FromResult(BlockReservation.PlanFullAnswer);
            }

            var taken = new int[request.SlotKeys.Count];
            var member = 0;
            for (var i = 0; i < request.SlotKeys.Count && member < request.SlotWant; i++)
            {
                var leases = Live(request.SlotKeys[i], now, create: true)!;
                while (leases.Count < request.SlotLimit && member < request.SlotWant)
                {
                    leases[BlockRequest.SlotMember(request.BlockToken, ++member)] = expiresAt;
                    taken[i]++;
                }
            }

            var planTaken = 0;
            if (plan is not null && (request.SlotWant == 0 || member > 0))
            {
                planTaken = Math.Min(request.PlanWant, request.PlanLimit - plan.Count);
                for (var n = 1; n <= planTaken; n++)
                {
                    plan[BlockRequest.PlanMember(request.BlockToken, n)] = expiresAt;
                }
            }

            return ValueTask.FromResult(request.Decode(planTaken, taken));
        }
    }

    public ValueTask<IReadOnlyList<bool>> RenewPlacesAsync(IReadOnlyList<StorePlace> places, TimeSpan ttl, CancellationToken cancellationToken)
    {
        lock (_slots)
        {
            var now = Now();
            var held = new bool[places.Count];
            for (var i = 0; i < places.Count; i++)
            {
                if (Live(places[i].Key, now, create: false) is { } leases && leases.ContainsKey(places[i].Member))
                {
                    leases[places[i].Member] = now + Milliseconds(ttl);
                    held[i] = true;
                }
            }

            return ValueTask.FromResult<IReadOnlyList<bool>>(held);
        }
    }

    public ValueTask ReturnPlacesAsync(IReadOnlyList<StorePlace> places, CancellationToken cancellationToken)
    {
        lock (_slots)
        {
            foreach (var place in places)
            {
                if (_slots.TryGetValue(place.Key, out var leases))
                {
                    leases.Remove(place.Member);
                }
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
