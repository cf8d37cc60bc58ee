using System.Runtime.ExceptionServices;

namespace McpPlatform.Gateway.Edge.Access.Policy;

/// <summary>
/// One subject's permits and units reserved in Redis and not handed out yet, on this replica. Calls take from it under
/// a short lock; when what a call needs is gone (or past its window) the first such call reserves the next chunk in one
/// script call (<see cref="AllotmentStepKind.Reserve"/>) and every call that comes meanwhile waits for that one
/// (<see cref="AllotmentStepKind.Wait"/>): one round trip per chunk, never one per waiting caller.
/// </summary>
/// <remarks>
/// A chunk starts at one and doubles each time the previous one was used up within its window (halves when one
/// expires unused), capped by the plan's chunk: a quiet subject costs one script call per call, exactly as without
/// allotments, and so answers exactly as before; a busy subject of a high-rate plan soon needs one per chunk.
/// </remarks>
internal sealed class Allotment(AllotmentKey key, string rateKey, string quotaKey, int maxPermits, int maxUnits, long window, long now)
{
    private readonly Lock _lock = new();
    private long _permits;
    private long _permitsUntil;
    private int _permitChunk = 1;
    private long _units;
    private long _unitsUntil;
    private long _usedAtReserve;
    private int _unitChunk = 1;
    private long _lastUsed = now;
    private TaskCompletionSource<AllotmentFlight>? _flight;
    private bool _retired;

    public AllotmentKey Key { get; } = key;

    /// <summary>The GCRA key in Redis.</summary>
    public string RateKey { get; } = rateKey;

    /// <summary>This month's quota counter in Redis.</summary>
    public string QuotaKey { get; } = quotaKey;

    private bool Rated => Key.Rate is not null;

    private bool Counted => Key.QuotaLimit > 0;

    /// <summary>Takes a permit and a unit locally, or says whom to wait for, or hands the caller the next reservation.</summary>
    public AllotmentStep Next(long now)
    {
        lock (_lock)
        {
            if (_retired)
            {
                return new AllotmentStep(AllotmentStepKind.Retired);
            }

            var rateOk = !Rated || (_permits > 0 && now < _permitsUntil);
            var quotaOk = !Counted || (_units > 0 && now < _unitsUntil);
            if (rateOk && quotaOk)
            {
                return new AllotmentStep(AllotmentStepKind.Taken, Take(now));
            }

            if (_flight is not null)
            {
                return new AllotmentStep(AllotmentStepKind.Wait, Flight: _flight.Task);
            }

            long permits = 0, units = 0, release = 0;
            var required = false;
            if (!rateOk)
            {
                _permitChunk = Resize(_permitChunk, _permits, _permitsUntil, now, maxPermits);
                permits = _permitChunk;
            }

            if (!quotaOk)
            {
                _unitChunk = Resize(_unitChunk, _units, _unitsUntil, now, maxUnits);
                (units, required, release, _units) = (_unitChunk, true, _units, 0);
            }
            else if (Counted && _units < _unitChunk / 2)
            {
                // Going to Redis for permits anyway: top the units up in the same call, so the two run out together.
                units = _unitChunk;
            }

            _flight = new TaskCompletionSource<AllotmentFlight>(TaskCreationOptions.RunContinuationsAsynchronously);
            return new AllotmentStep(AllotmentStepKind.Reserve, Request: new AllotmentRequest(permits, units, required, release, now));
        }
    }

    /// <summary>
    /// Installs a reservation's answer (at <paramref name="now"/>): the calling request's own decision, and the
    /// waiters' news. Null when the call must look again: it reserved only units, counting on a local permit that
    /// went past its window during the round trip (a permit is never used after its window).
    /// </summary>
    public LimitDecision? Complete(AllotmentRequest request, long now, LimitOutcome outcome, TimeSpan retryAfter, long used, long permits, long units)
    {
        TaskCompletionSource<AllotmentFlight> flight;
        LimitDecision? decision;
        lock (_lock)
        {
            flight = _flight!;
            _flight = null;
            if (outcome != LimitOutcome.Allowed)
            {
                decision = new LimitDecision(outcome, retryAfter, used);
            }
            else
            {
                if (request.Permits > 0)
                {
                    (_permits, _permitsUntil) = (permits, request.SentAt + window);
                }

                if (units > 0)
                {
                    (_units, _unitsUntil, _usedAtReserve) = (_units + units, request.SentAt + window, used);
                }

                decision = Rated && request.Permits == 0 && now >= _permitsUntil ? null : Take(now);
            }
        }

        flight.SetResult(new AllotmentFlight(decision is { Outcome: not LimitOutcome.Allowed }, decision ?? default, null));
        return decision;
    }

    /// <summary>The reservation failed: the waiters fail the same way (each request then goes on as without Redis).</summary>
    public void Fail(AllotmentRequest request, Exception error)
    {
        TaskCompletionSource<AllotmentFlight> flight;
        lock (_lock)
        {
            flight = _flight!;
            _flight = null;
            _units += request.Release; // not given back after all: the sweep gives them back later
        }

        flight.SetResult(new AllotmentFlight(false, default, ExceptionDispatchInfo.Capture(error)));
    }

    /// <summary>
    /// Units past their window (or all, at shutdown) to give back; true when the allotment has been idle for
    /// <paramref name="idle"/> and is retired (the caller drops it from the table).
    /// </summary>
    public bool Sweep(long now, long idle, bool all, out long units)
    {
        lock (_lock)
        {
            units = 0;
            if (_flight is not null)
            {
                return false;
            }

            if (_units > 0 && (all || now >= _unitsUntil))
            {
                (units, _units) = (_units, 0);
            }

            _retired = all || now - _lastUsed >= idle;
            return _retired;
        }
    }

    private LimitDecision Take(long now)
    {
        _lastUsed = now;
        if (Rated)
        {
            _permits--;
        }

        long used = 0;
        if (Counted)
        {
            _units--;
            used = _usedAtReserve - _units;
        }

        return new LimitDecision(LimitOutcome.Allowed, TimeSpan.Zero, used);
    }

    // Used up within its window: the subject is busy, double. Expired with some left: halve. Otherwise keep.
    private static int Resize(int chunk, long left, long until, long now, int max) =>
        left == 0 && now < until ? Math.Min(chunk * 2, max)
        : left > 0 ? Math.Max(1, chunk / 2)
        : Math.Min(chunk, max);
}
