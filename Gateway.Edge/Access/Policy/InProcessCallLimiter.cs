namespace McpPlatform.Gateway.Edge.Access.Policy;

/// <summary>
/// The single-node twin of <see cref="RedisCallLimiter"/>: the same GCRA arithmetic (on a monotonic clock) and monthly
/// counters in memory, decided under one lock so that, as in the script, a refused call consumes neither limit.
/// Lost on restart (start-up says the service runs single-node). It takes no allotments: there is no round trip to save.
/// </summary>
internal sealed class InProcessCallLimiter(TimeProvider time) : ICallLimiter
{
    private const int SweepEvery = 4096;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, double> _arrivals = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _counters = new(StringComparer.Ordinal);
    private int _calls;

    public ValueTask<LimitDecision> AcquireAsync(CallLimits limits, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var now = time.GetTimestamp() * (1_000_000d / time.TimestampFrequency);
        var period = QuotaPeriod.Name(limits.Now);
        var counter = $"{limits.QuotaSubject}:{period}";
        lock (_lock)
        {
            if (++_calls % SweepEvery == 0)
            {
                Sweep(now, period);
            }

            var newArrival = 0d;
            if (limits.Rate is { } rate)
            {
                var emission = 1_000_000d / rate.PermitsPerSecond;
                var arrival = Math.Max(_arrivals.GetValueOrDefault(limits.RateSubject, now), now);
                newArrival = arrival + emission;
                var allowAt = newArrival - (emission * rate.Burst);
                if (allowAt > now)
                {
                    return ValueTask.FromResult(new LimitDecision(LimitOutcome.RateLimited, TimeSpan.FromMicroseconds(Math.Ceiling(allowAt - now)), 0));
                }
            }

            long used = 0;
            if (limits.QuotaLimit > 0)
            {
                used = _counters.GetValueOrDefault(counter);
                if (used >= limits.QuotaLimit)
                {
                    return ValueTask.FromResult(new LimitDecision(LimitOutcome.QuotaExceeded, TimeSpan.Zero, used));
                }

                _counters[counter] = ++used;
            }

            if (limits.Rate is not null)
            {
                _arrivals[limits.RateSubject] = newArrival;
            }

            return ValueTask.FromResult(new LimitDecision(LimitOutcome.Allowed, TimeSpan.Zero, used));
        }
    }

    // A bucket whose arrival time has passed is full again and a past month's counter is never read: forgetting either
    // changes nothing.
    private void Sweep(double now, string period)
    {
        foreach (var (subject, arrival) in _arrivals)
        {
            if (arrival < now)
            {
                _arrivals.Remove(subject);
            }
        }

        foreach (var name in _counters.Keys)
        {
            if (!name.EndsWith(period, StringComparison.Ordinal))
            {
                _counters.Remove(name);
            }
        }
    }
}
