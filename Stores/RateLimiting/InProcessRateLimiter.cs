using System.Collections.Concurrent;

namespace McpPlatform.Stores.RateLimiting;

/// <summary>The single-node twin of <see cref="RedisRateLimiter"/>: the same GCRA arithmetic on a monotonic clock.</summary>
internal sealed class InProcessRateLimiter(TimeProvider time) : IRateLimiter
{
    private const int SweepEvery = 4096;
    private readonly ConcurrentDictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);
    private int _calls;

    public ValueTask<RateLimitDecision> AcquireAsync(string key, RateLimitPolicy policy, int permits = 1, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentOutOfRangeException.ThrowIfLessThan(permits, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(permits, policy.Burst);
        cancellationToken.ThrowIfCancellationRequested();
        var now = NowMicroseconds();
        if (Interlocked.Increment(ref _calls) % SweepEvery == 0)
        {
            Sweep(now);
        }

        var emission = policy.EmissionMicroseconds;
        var tolerance = emission * policy.Burst;
        while (true)
        {
            var bucket = _buckets.GetOrAdd(key, static _ => new Bucket());
            lock (bucket)
            {
                if (bucket.Removed)
                {
                    // The sweeper dropped it between the lookup and the lock: take the new one.
                    continue;
                }

                var tat = Math.Max(bucket.TheoreticalArrival, now);
                var newTat = tat + (emission * permits);
                var allowAt = newTat - tolerance;
                if (allowAt > now)
                {
                    return ValueTask.FromResult(new RateLimitDecision(false, TimeSpan.FromMicroseconds(Math.Ceiling(allowAt - now)), (long)Math.Floor((tolerance - (tat - now)) / emission)));
                }

                bucket.TheoreticalArrival = newTat;
                return ValueTask.FromResult(new RateLimitDecision(true, TimeSpan.Zero, (long)Math.Floor((tolerance - (newTat - now)) / emission)));
            }
        }
    }

    private double NowMicroseconds() => time.GetTimestamp() * (1_000_000d / time.TimestampFrequency);

    // Buckets whose arrival time has passed are full again: forgetting them changes nothing.
    private void Sweep(double now)
    {
        foreach (var (key, bucket) in _buckets)
        {
            lock (bucket)
            {
                if (bucket.TheoreticalArrival < now)
                {
                    bucket.Removed = true;
                    _buckets.TryRemove(new KeyValuePair<string, Bucket>(key, bucket));
                }
            }
        }
    }

    private sealed class Bucket
    {
        public double TheoreticalArrival;
        public bool Removed;
    }
}
