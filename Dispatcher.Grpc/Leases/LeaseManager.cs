using System.Collections.Concurrent;
using McpPlatform.Contracts.Common.V1;
using McpPlatform.Dispatcher.Grpc.Registry;
using McpPlatform.Dispatcher.Grpc.Telemetry;

namespace McpPlatform.Dispatcher.Grpc.Leases;

/// <summary>
/// Grants, renews and returns leases. A lease is one token placed in two shared sets: the tenant's plan (at most
/// plan_max_concurrency tokens) and one slot of a live worker (at most max_concurrent_calls_per_slot tokens). Both
/// live in the <see cref="ISlotLeaseStore"/> (Redis when configured) with the lease TTL, so every replica counts
/// the same jobs, any replica can release a lease another granted, and a dead replica's leases lapse by themselves.
/// Workers are tried in rotation so load spreads; slots of a worker in order. Per-call leases (relayed calls) come
/// from the replica's <see cref="LeaseBank"/> when it is enabled: same sets and limits, no round trip per call.
/// </summary>
internal sealed class LeaseManager(WorkerPool pool, ISlotLeaseStore store, LeaseBank bank, DispatcherMetrics metrics, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, SlotLease> _active = new(StringComparer.Ordinal);
    private int _rotation;

    /// <summary>Raised with the server's name after a lease was returned through this replica (a queued call may now get it).</summary>
    public event Action<string>? Released;

    /// <summary>Leases granted by this replica and not yet returned, outside the bank (the bank renews its own places).</summary>
    public IEnumerable<SlotLease> Active => _active.Values;

    /// <summary>Calls queued per server on this replica (admission sets it): how much a bank reservation takes.</summary>
    public Func<string, int> QueuedCalls
    {
        get => bank.QueuedCalls;
        set => bank.QueuedCalls = value;
    }

    public ValueTask<AcquireOutcome> TryAcquireAsync(Route route, TimeSpan ttl, bool autoRenew, IReadOnlyCollection<string>? excludeWorkers, CancellationToken cancellationToken) =>
        TryAcquireAsync(route, ttl, autoRenew, excludeWorkers, perCall: false, cancellationToken);

    /// <summary>
    /// A lease for <paramref name="route"/>. <paramref name="perCall"/>: the lease lives for one call and only this
    /// replica returns it (Relay), so it may come from the lease bank; Admit and Session leases never do, because
    /// any replica may renew or release them.
    /// </summary>
    public async ValueTask<AcquireOutcome> TryAcquireAsync(Route route, TimeSpan ttl, bool autoRenew, IReadOnlyCollection<string>? excludeWorkers, bool perCall, CancellationToken cancellationToken)
    {
        var candidates = pool.Candidates(route.Server).Where(worker => excludeWorkers?.Contains(worker.Id) != true).ToList();
        if (candidates.Count == 0)
        {
            return new(null, Busy.Types.Reason.NoWorker);
        }

        candidates.RemoveAll(worker => worker.Draining);
        if (candidates.Count == 0)
        {
            return new(null, Busy.Types.Reason.Draining);
        }

        var start = (int)((uint)Interlocked.Increment(ref _rotation) % (uint)candidates.Count);
        if (perCall && bank.Enabled)
        {
            return await FromBankAsync(route, ttl, candidates, start, cancellationToken).ConfigureAwait(false);
        }

        var token = LeaseIds.NewToken();
        var planKey = route.PlanMaxConcurrency > 0 ? LeaseIds.PlanKey(route.PlanId, route.TenantId) : null;
        for (var i = 0; i < candidates.Count; i++)
        {
            var worker = candidates[(start + i) % candidates.Count];
            var entry = worker.Find(route.Server)!;
            var slots = worker.UsableSlots(entry);
            var slotKeys = new string[slots.Count];
            for (var s = 0; s < slots.Count; s++)
            {
                slotKeys[s] = LeaseIds.SlotKey(worker.Id, slots[s]);
            }

            // The plan's place and the slot's are taken together (one round trip), or neither is.
            var index = await store.TryAcquireAsync(planKey, route.PlanMaxConcurrency, slotKeys, Math.Max(entry.MaxConcurrentCallsPerSlot, 1), token, ttl, cancellationToken).ConfigureAwait(false);
            if (index == ISlotLeaseStore.PlanFull)
            {
                return new(null, Busy.Types.Reason.PlanConcurrency);
            }

            if (index < 0)
            {
                continue;
            }

            var lease = new SlotLease
            {
                LeaseId = LeaseIds.Create(token, worker.Id, slots[index], planKey),
                Token = token,
                WorkerId = worker.Id,
                WorkerAddress = worker.Address,
                SlotId = slots[index],
                Server = route.Server,
                Isolation = entry.Isolation,
                Ttl = ttl,
                ExpiresAt = time.GetUtcNow() + ttl,
                AutoRenew = autoRenew,
                PlanKey = planKey,
            };
            _active[lease.LeaseId] = lease;
            metrics.LeaseTaken(lease.Isolation);
            return new(lease, Busy.Types.Reason.Unspecified);
        }

        return AcquireOutcome.NoCapacity;
    }

    /// <summary>Returns a lease granted by any replica; false when it was already gone.</summary>
    public async ValueTask<bool> ReleaseAsync(string leaseId, CancellationToken cancellationToken)
    {
        if (!LeaseIds.TryParse(leaseId, out var parsed))
        {
            return false;
        }

        if (bank.TryReturn(leaseId, out var banked, out var returnNow))
        {
            metrics.LeaseReturned(banked.Isolation);
            if (returnNow.Count > 0)
            {
                await store.ReturnPlacesAsync(returnNow, cancellationToken).ConfigureAwait(false);
            }

            Released?.Invoke(banked.Server);
            return true;
        }

        if (_active.TryRemove(leaseId, out var local))
        {
            metrics.LeaseReturned(local.Isolation);
        }

        // Both removals are sent before either is awaited, so they share one write and one round trip.
        var planRelease = parsed.PlanKey is null ? Task.FromResult(false) : store.ReleaseAsync(parsed.PlanKey, parsed.Token, cancellationToken).AsTask();
        var slotRelease = store.ReleaseAsync(parsed.SlotKey, parsed.Token, cancellationToken).AsTask();
        await Task.WhenAll(planRelease, slotRelease).ConfigureAwait(false);
        Released?.Invoke(parsed.Server);
        return slotRelease.Result;
    }

    /// <summary>Extends a lease granted by any replica to <paramref name="ttl"/> from now; null when it is gone.</summary>
    public async ValueTask<DateTimeOffset?> RenewAsync(string leaseId, TimeSpan ttl, CancellationToken cancellationToken)
    {
        if (!LeaseIds.TryParse(leaseId, out var parsed)
            || !await store.RenewAsync(parsed.SlotKey, parsed.Token, ttl, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        if (parsed.PlanKey is not null)
        {
            await store.RenewAsync(parsed.PlanKey, parsed.Token, ttl, cancellationToken).ConfigureAwait(false);
        }

        var expiresAt = time.GetUtcNow() + ttl;
        if (_active.TryGetValue(leaseId, out var local))
        {
            (local.Ttl, local.ExpiresAt) = (ttl, expiresAt);
        }

        return expiresAt;
    }

    /// <summary>A worker is gone: its slots' leases come back, here and in the shared store, with their plan places.</summary>
    public async ValueTask DropWorkerAsync(WorkerRecord worker, CancellationToken cancellationToken)
    {
        bank.DropWorker(worker.Id);
        await store.DropAsync(worker.AllSlots().Select(slot => LeaseIds.SlotKey(worker.Id, slot)).ToList(), cancellationToken).ConfigureAwait(false);
        foreach (var lease in _active.Values.Where(lease => lease.WorkerId == worker.Id))
        {
            if (_active.TryRemove(lease.LeaseId, out _))
            {
                metrics.LeaseReturned(lease.Isolation);
                if (lease.PlanKey is not null)
                {
                    await store.ReleaseAsync(lease.PlanKey, lease.Token, cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }

    private async ValueTask<AcquireOutcome> FromBankAsync(Route route, TimeSpan ttl, List<WorkerRecord> candidates, int start, CancellationToken cancellationToken)
    {
        var grant = await bank.TryGrantAsync(route, candidates, start, ttl, cancellationToken).ConfigureAwait(false);
        if (grant.Slot is not { } place)
        {
            return new(null, grant.Reason);
        }

        var worker = candidates.First(candidate => candidate.Id == place.WorkerId);
        var lease = new SlotLease
        {
            // A fresh id per call (the worker tracks running calls by it), naming the slot the bank's place is on.
            LeaseId = LeaseIds.Create(LeaseIds.NewToken(), worker.Id, place.SlotId!, grant.Plan?.Place.Key),
            Token = place.Place.Member,
            WorkerId = worker.Id,
            WorkerAddress = worker.Address,
            SlotId = place.SlotId!,
            Server = route.Server,
            Isolation = worker.Find(route.Server)!.Isolation,
            Ttl = ttl,
            ExpiresAt = time.GetUtcNow() + ttl,
            AutoRenew = false,
            PlanKey = grant.Plan?.Place.Key,
        };
        bank.Bind(lease, grant);
        metrics.LeaseTaken(lease.Isolation);
        return new(lease, Busy.Types.Reason.Unspecified);
    }

    /// <summary>Live leases on one slot (diagnostics and tests).</summary>
    public ValueTask<long> CountAsync(string workerId, string slotId, CancellationToken cancellationToken) =>
        store.CountAsync(LeaseIds.SlotKey(workerId, slotId), cancellationToken);
}
