namespace McpPlatform.Dispatcher.Grpc.Leases;

/// <summary>What the <see cref="LeaseBankKeeper"/> and the worker sweep do to the bank: give back, renew, drop.</summary>
internal sealed partial class LeaseBank
{
    /// <summary>
    /// Gives back to the store, in one script, the places idle for at least IdleReturn beyond the recent peak of
    /// use (every idle place when <paramref name="all"/>, at shutdown). How many were given back.
    /// </summary>
    public async ValueTask<int> ReturnIdleAsync(bool all, CancellationToken cancellationToken)
    {
        var surplus = new List<StorePlace>();
        lock (_gate)
        {
            var now = time.GetTimestamp();
            var oldest = now - (long)(_options.IdleReturn.TotalSeconds * time.TimestampFrequency);
            Collect(_idleSlots, _slotDemand, now, oldest, all, surplus);

            // Plan places go back after IdleReturn whatever the recent peak: another replica's call of the same
            // tenant is refused while this one holds them.
            Collect(_idlePlans, null, now, oldest, all, surplus);
        }

        if (surplus.Count > 0)
        {
            // Already out of the bank: if this fails the places lapse by their TTL, which is the crash path anyway.
            await store.ReturnPlacesAsync(surplus, cancellationToken).ConfigureAwait(false);
            LogReturned(logger, surplus.Count);
        }

        return surplus.Count;
    }

    /// <summary>Extends every place the bank holds (idle or in use) in one script; places the store lost are forgotten.</summary>
    public async ValueTask RenewAsync(TimeSpan ttl, CancellationToken cancellationToken)
    {
        List<BankPlace> places;
        lock (_gate)
        {
            places = [.. _held];
        }

        if (places.Count == 0)
        {
            return;
        }

        var renewedAt = time.GetTimestamp();
        var held = await store.RenewPlacesAsync(places.Select(place => place.Place).ToList(), ttl, cancellationToken).ConfigureAwait(false);
        var lost = 0;
        lock (_gate)
        {
            var expiresAt = renewedAt + (long)(ttl.TotalSeconds * time.TimestampFrequency);
            for (var i = 0; i < places.Count; i++)
            {
                if (held[i])
                {
                    places[i].ExpiresAt = expiresAt;
                }
                else if (_held.Contains(places[i]))
                {
                    Forget(places[i]);
                    lost++;
                }
            }
        }

        if (lost > 0)
        {
            LogLapsed(logger, lost);
        }
    }

    /// <summary>A worker is gone (its slot sets were deleted): its places leave the bank; calls on it keep their plan places until they end.</summary>
    public void DropWorker(string workerId)
    {
        lock (_gate)
        {
            foreach (var place in _held.Where(place => place.WorkerId == workerId).ToList())
            {
                Forget(place);
            }
        }
    }

    private void Collect(Dictionary<string, List<BankPlace>> stacks, Dictionary<string, BankDemand>? demands, long now, long oldest, bool all, List<StorePlace> surplus)
    {
        foreach (var (key, stack) in stacks)
        {
            // The most recently used idle places, up to what the recent peak needs beside the places in use, stay.
            var demand = demands?.GetValueOrDefault(key);
            var spare = all || demand is null ? 0 : Math.Max(demand.RecentPeak(now, Window) - demand.InUse, 0);
            var kept = 0;
            for (var i = 0; i < stack.Count; i++)
            {
                if (all || (i < stack.Count - spare && stack[i].IdleSince <= oldest))
                {
                    _held.Remove(stack[i]);
                    surplus.Add(stack[i].Place);
                }
                else
                {
                    stack[kept++] = stack[i];
                }
            }

            stack.RemoveRange(kept, stack.Count - kept);
            if (stack.Count == 0)
            {
                stacks.Remove(key);
                if (demand is { InUse: 0 } && demand.RecentPeak(now, Window) == 0)
                {
                    demands!.Remove(key);
                }
            }
        }
    }

    // Out of the bank for good; an in-use place is then not banked again when its call ends.
    private void Forget(BankPlace place)
    {
        _held.Remove(place);
        if (!place.InUse && (place.IsPlan ? _idlePlans : _idleSlots).TryGetValue(place.StackKey, out var stack))
        {
            stack.Remove(place);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Lease bank gave {Places} idle places back")]
    private static partial void LogReturned(ILogger logger, int places);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lease bank lost {Places} places that lapsed in the store (renewals came too late)")]
    private static partial void LogLapsed(ILogger logger, int places);
}
