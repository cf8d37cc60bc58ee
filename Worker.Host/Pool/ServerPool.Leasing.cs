using McpPlatform.Worker.Host.Catalog;

namespace McpPlatform.Worker.Host.Pool;

/// <summary>Leasing: the bounded wait, the choice of slot per isolation level, release and retirement.</summary>
internal sealed partial class ServerPool
{
    public async ValueTask<SlotLease> AcquireAsync(string tenant, string? sessionId, CancellationToken cancellationToken)
    {
        var started = TimeProvider.GetTimestamp();
        while (true)
        {
            var changed = Volatile.Read(ref _changed).Task;
            Slot? toStart = null;
            Slot? toRetire = null;
            SlotLease? lease;
            lock (_gate)
            {
                if (_draining)
                {
                    throw new WorkerPoolException(PoolError.Draining, $"This worker is draining; server '{Definition.Name}' takes no new leases here.");
                }

                lease = Definition.Isolation == IsolationMode.Session
                    ? ReserveSession(tenant, sessionId!, ref toStart)
                    : Reserve(tenant, ref toStart, ref toRetire);
            }

            if (toRetire is not null)
            {
                _ = Retire(toRetire, "retired to make room for another tenant");
            }

            toStart?.Start();
            if (lease is not null)
            {
                return lease;
            }

            var remaining = Definition.AcquireTimeout - TimeProvider.GetElapsedTime(started);
            try
            {
                if (remaining <= TimeSpan.Zero)
                {
                    throw new TimeoutException();
                }

                await changed.WaitAsync(remaining, TimeProvider, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                throw new WorkerPoolException(PoolError.Busy,
                    $"All {Definition.MaxSlots} slots of server '{Definition.Name}' stayed busy for {Definition.AcquireTimeout.TotalSeconds:0.###} s; retry later.");
            }
        }
    }

    /// <summary>The live lease of a session, if any (no waiting, no new slot).</summary>
    public ValueTask<SlotLease?> AcquireExistingAsync(string tenant, string sessionId)
    {
        lock (_gate)
        {
            return ValueTask.FromResult(_sessions.TryGetValue((tenant, sessionId), out var lease) ? lease : null);
        }
    }

    public async ValueTask ReleaseAsync(SlotLease lease, string reason)
    {
        if (!lease.TryMarkReleased(reason))
        {
            return;
        }

        var slot = lease.Slot;
        if (Definition.Isolation == IsolationMode.Session)
        {
            lock (_gate)
            {
                _sessions.Remove((lease.Tenant, lease.SessionId!));
                _slots.Remove(slot);
            }

            PoolLog.SessionReleased(Logger, Definition.Name, reason);
            await Retire(slot, $"session ended: {reason}").ConfigureAwait(false);
        }
        else
        {
            lock (_gate)
            {
                slot.Reservations--;
            }

            slot.OnReleased();
        }

        OnSlotChanged();
    }

    /// <summary>Stops a slot that has left the list; tracked so that stopping the pool waits for its reap too.</summary>
    private Task Retire(Slot slot, string reason)
    {
        var stopping = slot.StopAsync(reason);
        lock (_retiring)
        {
            _retiring.Add(stopping);
        }

        return ForgetWhenDoneAsync(stopping);

        async Task ForgetWhenDoneAsync(Task task)
        {
            try
            {
                await task.ConfigureAwait(false);
            }
            finally
            {
                lock (_retiring)
                {
                    _retiring.Remove(task);
                }
            }
        }
    }

    private SlotLease? Reserve(string tenant, ref Slot? toStart, ref Slot? toRetire)
    {
        var tenantBound = Definition.Isolation == IsolationMode.Tenant;
        Slot? best = null;
        var bestRank = int.MaxValue;
        foreach (var slot in _slots)
        {
            if (slot.Reservations >= Definition.MaxConcurrentCallsPerSlot || (tenantBound && slot.Tenant != tenant) || !slot.IsAccepting)
            {
                continue;
            }

            // Ready first, least loaded; then starting; a slot in backoff last (its calls fail fast with the start error).
            var rank = (slot.State switch { SlotState.Ready => 0, SlotState.Starting => 1, _ => 2 } * 1000) + slot.Reservations;
            if (rank < bestRank)
            {
                (best, bestRank) = (slot, rank);
            }
        }

        // An unloaded slot (or one in start-failure backoff, whose calls fail fast with the cause) is used as is;
        // otherwise grow before multiplexing onto a busy process; in tenant isolation evict another tenant's idle slot.
        if (best is null || (best.Reservations > 0 && best.State != SlotState.Backoff))
        {
            if (_slots.Count < Definition.MaxSlots)
            {
                best = NewSlot(tenantBound ? tenant : null, null, ref toStart);
            }
            else if (best is null && tenantBound && _slots.FirstOrDefault(s => s.Tenant != tenant && s.Reservations == 0 && s.PendingCount == 0) is { } victim)
            {
                _slots.Remove(victim);
                toRetire = victim;
                best = NewSlot(tenant, null, ref toStart);
            }
        }

        if (best is null)
        {
            return null;
        }

        best.Reservations++;
        return new SlotLease(this, best, tenant, null);
    }

    private SlotLease? ReserveSession(string tenant, string sessionId, ref Slot? toStart)
    {
        if (_sessions.TryGetValue((tenant, sessionId), out var existing))
        {
            return existing;
        }

        if (_slots.Count >= Definition.MaxSlots)
        {
            return null;
        }

        var slot = NewSlot(tenant, sessionId, ref toStart);
        var lease = new SlotLease(this, slot, tenant, sessionId);
        slot.SessionLease = lease;
        _sessions[(tenant, sessionId)] = lease;
        return lease;
    }

    private Slot NewSlot(string? tenant, string? sessionId, ref Slot? toStart)
    {
        var slot = new Slot(this, ++_nextNumber, tenant, sessionId);
        _slots.Add(slot);
        toStart = slot;
        return slot;
    }
}
