using McpPlatform.Contracts.Common.V1;
using McpPlatform.Dispatcher.Grpc.Options;
using McpPlatform.Dispatcher.Grpc.Registry;
using Microsoft.Extensions.Options;

namespace McpPlatform.Dispatcher.Grpc.Leases;

/// <summary>
/// Places this replica holds in the shared lease sets on behalf of its relayed calls, so most calls are granted and
/// returned in memory instead of by a script in Redis per call. 1. A call that finds no idle place reserves a block
/// (its server's queued demand, at most MaxBlock slot places, plus one plan place) in one script. 2. A finished
/// call's places go back on the bank's stacks (last in, first out, so surplus places stay idle). 3. The
/// <see cref="LeaseBankKeeper"/> gives places idle longer than IdleReturn back to Redis and renews all places in
/// one script per LeaseTtl / 3, so a crashed replica's places lapse like single leases. Every place is a real member
/// of the slot's (and plan's) set, so the limits hold across replicas exactly as with single leases.
/// </summary>
internal sealed partial class LeaseBank(ISlotLeaseStore store, IOptions<DispatcherOptions> options, TimeProvider time, ILogger<LeaseBank> logger)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, List<BankPlace>> _idleSlots = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<BankPlace>> _idlePlans = new(StringComparer.Ordinal);
    private readonly Dictionary<string, BankDemand> _slotDemand = new(StringComparer.Ordinal);
    private readonly HashSet<BankPlace> _held = [];
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<WorkerRecord, Dictionary<string, HashSet<string>?>> _usable = [];
    private readonly Dictionary<string, (SlotLease Lease, BankGrant Grant)> _granted = new(StringComparer.Ordinal);
    private readonly LeaseBankOptions _options = options.Value.LeaseBank;

    // Demand peaks are remembered over windows of ten IdleReturn (1 s by default).
    private long Window => (long)(_options.IdleReturn.TotalSeconds * 10 * time.TimestampFrequency);

    public bool Enabled => _options.Enabled;

    /// <summary>Calls queued per server on this replica (set by admission): the demand a reservation serves.</summary>
    public Func<string, int> QueuedCalls { get; set; } = static _ => 0;

    /// <summary>Places held now, idle or in use (diagnostics and tests).</summary>
    public int Held
    {
        get
        {
            lock (_gate)
            {
                return _held.Count;
            }
        }
    }

    /// <summary>
    /// Places for one call of <paramref name="route"/> on one of <paramref name="candidates"/> (tried from
    /// <paramref name="start"/>): from the bank when it has them, else reserved in the store with the queue's demand.
    /// </summary>
    public async ValueTask<BankGrant> TryGrantAsync(Route route, IReadOnlyList<WorkerRecord> candidates, int start, TimeSpan ttl, CancellationToken cancellationToken)
    {
        var planKey = route.PlanMaxConcurrency > 0 ? LeaseIds.PlanKey(route.PlanId, route.TenantId) : null;
        BankPlace? slot, plan = null;
        lock (_gate)
        {
            var now = time.GetTimestamp();
            slot = TakeIdle(_idleSlots, route.Server, now, ttl, place => Usable(place, candidates, route.Server));
            if (planKey is not null)
            {
                plan = TakeIdle(_idlePlans, planKey, now, ttl, static _ => true);
            }

            if (slot is not null && (planKey is null || plan is not null))
            {
                return new BankGrant(slot, plan, Busy.Types.Reason.Unspecified);
            }
        }

        try
        {
            var grant = await ReserveAsync(route, planKey, candidates, start, slot, plan, ttl, cancellationToken).ConfigureAwait(false);
            if (grant.Slot is null)
            {
                PutBack(slot, plan);
            }

            return grant;
        }
        catch
        {
            PutBack(slot, plan);
            throw;
        }
    }

    /// <summary>Remembers which places <paramref name="lease"/> holds, until <see cref="TryReturn"/>.</summary>
    public void Bind(SlotLease lease, BankGrant grant)
    {
        lock (_gate)
        {
            _granted[lease.LeaseId] = (lease, grant);
        }
    }

    /// <summary>
    /// A banked call ended: its places go back on the stacks, except places of small plans (and places the store no
    /// longer holds), which are listed in <paramref name="returnNow"/> for the caller to give back. False when
    /// <paramref name="leaseId"/> is not a banked lease of this replica.
    /// </summary>
    public bool TryReturn(string leaseId, out SlotLease lease, out List<StorePlace> returnNow)
    {
        returnNow = [];
        lock (_gate)
        {
            if (!_granted.Remove(leaseId, out var granted))
            {
                lease = null!;
                return false;
            }

            lease = granted.Lease;
            var now = time.GetTimestamp();
            Release(granted.Grant.Slot!, now, returnNow);
            if (granted.Grant.Plan is { } plan)
            {
                Release(plan, now, returnNow);
            }

            return true;
        }
    }

    private async ValueTask<BankGrant> ReserveAsync(Route route, string? planKey, IReadOnlyList<WorkerRecord> candidates, int start, BankPlace? slot, BankPlace? plan, TimeSpan ttl, CancellationToken cancellationToken)
    {
        var keepPlan = route.PlanMaxConcurrency > _options.ExactPlanLimit;
        var planWant = planKey is not null && plan is null ? 1 : 0;
        if (slot is not null)
        {
            // Only the plan's place is missing.
            var answer = await store.ReserveBlockAsync(new BlockRequest(planKey, route.PlanMaxConcurrency, planWant, [], 1, 0, LeaseIds.NewToken(), ttl), cancellationToken).ConfigureAwait(false);
            return answer.PlanFull
                ? new BankGrant(null, null, Busy.Types.Reason.PlanConcurrency)
                : new BankGrant(slot, Keep(answer, route.Server, null, null, keepPlan, ttl).Plan, Busy.Types.Reason.Unspecified);
        }

        var want = Math.Clamp(QueuedCalls(route.Server), 1, _options.MaxBlock);
        for (var i = 0; i < candidates.Count; i++)
        {
            var worker = candidates[(start + i) % candidates.Count];
            var entry = worker.Find(route.Server)!;
            var slots = worker.UsableSlots(entry);
            var slotKeys = slots.Select(id => LeaseIds.SlotKey(worker.Id, id)).ToList();
            var answer = await store.ReserveBlockAsync(new BlockRequest(planKey, route.PlanMaxConcurrency, planWant, slotKeys, Math.Max(entry.MaxConcurrentCallsPerSlot, 1), want, LeaseIds.NewToken(), ttl), cancellationToken).ConfigureAwait(false);
            if (answer.PlanFull)
            {
                return new BankGrant(null, null, Busy.Types.Reason.PlanConcurrency);
            }

            if (answer.SlotPlaces.Count > 0)
            {
                var (first, taken) = Keep(answer, route.Server, worker.Id, slots, keepPlan, ttl);
                LogReserved(logger, route.Server, worker.Id, answer.SlotPlaces.Count, want);
                return new BankGrant(first, plan ?? taken, Busy.Types.Reason.Unspecified);
            }
        }

        return new BankGrant(null, null, Busy.Types.Reason.Unspecified);
    }

    // Banks a reservation: the first slot place and the first plan place are the calling call's (in use), the
    // others go idle for the next calls.
    private (BankPlace? Slot, BankPlace? Plan) Keep(BlockReservation answer, string server, string? workerId, IReadOnlyList<string>? slots, bool keepPlan, TimeSpan ttl)
    {
        lock (_gate)
        {
            var now = time.GetTimestamp();
            var expiresAt = now + (long)(ttl.TotalSeconds * time.TimestampFrequency);
            BankPlace? slot = null, plan = null;
            foreach (var (index, place) in answer.SlotPlaces)
            {
                var banked = new BankPlace(place, server, workerId, slots![index], keepIdle: true) { IdleSince = now, ExpiresAt = expiresAt };
                _held.Add(banked);
                if (slot is null)
                {
                    slot = banked;
                    MarkInUse(banked, now);
                }
                else
                {
                    Stack(_idleSlots, server).Add(banked);
                }
            }

            foreach (var place in answer.PlanPlaces)
            {
                var banked = new BankPlace(place, place.Key, null, null, keepPlan) { IdleSince = now, ExpiresAt = expiresAt };
                _held.Add(banked);
                if (plan is null)
                {
                    plan = banked;
                    MarkInUse(banked, now);
                }
                else
                {
                    Stack(_idlePlans, place.Key).Add(banked);
                }
            }

            return (slot, plan);
        }
    }

    private void PutBack(BankPlace? slot, BankPlace? plan)
    {
        lock (_gate)
        {
            var now = time.GetTimestamp();
            foreach (var place in (ReadOnlySpan<BankPlace?>)[slot, plan])
            {
                if (place is { InUse: true })
                {
                    MarkIdle(place, now);
                    if (_held.Contains(place))
                    {
                        Stack(place.IsPlan ? _idlePlans : _idleSlots, place.StackKey).Add(place);
                    }
                }
            }
        }
    }

    private void Release(BankPlace place, long now, List<StorePlace> returnNow)
    {
        MarkIdle(place, now);
        if (!_held.Contains(place))
        {
            // Lapsed, or its worker was lost: the store no longer counts it.
            return;
        }

        if (!place.KeepIdle)
        {
            _held.Remove(place);
            returnNow.Add(place.Place);
            return;
        }

        place.IdleSince = now;
        Stack(place.IsPlan ? _idlePlans : _idleSlots, place.StackKey).Add(place);
    }

    private void MarkInUse(BankPlace place, long now)
    {
        place.InUse = true;
        if (!place.IsPlan)
        {
            Demand(place).Use(now, Window);
        }
    }

    private void MarkIdle(BankPlace place, long now)
    {
        place.InUse = false;
        if (!place.IsPlan)
        {
            // Only slot places keep idle places up to the recent peak (see ReturnIdleAsync).
            Demand(place).Unuse(now, Window);
        }
    }

    private BankDemand Demand(BankPlace place)
    {
        if (!_slotDemand.TryGetValue(place.StackKey, out var demand))
        {
            demand = new BankDemand();
            _slotDemand[place.StackKey] = demand;
        }

        return demand;
    }

    // The most recently used idle place that fits; places about to lapse (renewals failing) are dropped, not used.
    private BankPlace? TakeIdle(Dictionary<string, List<BankPlace>> stacks, string key, long now, TimeSpan ttl, Func<BankPlace, bool> fits)
    {
        if (!stacks.TryGetValue(key, out var stack))
        {
            return null;
        }

        var margin = (long)(ttl.TotalSeconds / 3 * time.TimestampFrequency);
        for (var i = stack.Count - 1; i >= 0; i--)
        {
            var place = stack[i];
            if (place.ExpiresAt - now < margin)
            {
                stack.RemoveAt(i);
                _held.Remove(place);
                continue;
            }

            if (fits(place))
            {
                stack.RemoveAt(i);
                MarkInUse(place, now);
                return place;
            }
        }

        return null;
    }

    // Whether a banked place's worker is a candidate and its slot may take work. Workers' records are replaced at
    // every heartbeat, so the usable slots are computed once per record and server (not per call: 64 slots would
    // cost thousands of comparisons per grant).
    private bool Usable(BankPlace place, IReadOnlyList<WorkerRecord> candidates, string server)
    {
        foreach (var worker in candidates)
        {
            if (worker.Id == place.WorkerId)
            {
                var byServer = _usable.GetValue(worker, static _ => new Dictionary<string, HashSet<string>?>(StringComparer.Ordinal));
                if (!byServer.TryGetValue(server, out var slots))
                {
                    slots = worker.Find(server) is { } entry ? worker.UsableSlots(entry).ToHashSet(StringComparer.Ordinal) : null;
                    byServer[server] = slots;
                }

                return slots?.Contains(place.SlotId!) == true;
            }
        }

        return false;
    }

    private static List<BankPlace> Stack(Dictionary<string, List<BankPlace>> stacks, string key)
    {
        if (!stacks.TryGetValue(key, out var stack))
        {
            stack = [];
            stacks[key] = stack;
        }

        return stack;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Lease bank reserved {Places} places of server {Server} on worker {WorkerId} (wanted {Wanted})")]
    private static partial void LogReserved(ILogger logger, string server, string workerId, int places, int wanted);
}
