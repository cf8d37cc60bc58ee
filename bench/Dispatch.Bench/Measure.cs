using System.Diagnostics;

namespace McpPlatform.Bench.Dispatch;

/// <summary>Sequential latency percentiles and concurrent throughput of one way of making a call.</summary>
internal static class Measure
{
    public static async Task<(double P50, double P99)> SequentialAsync(Func<Task> call, int calls)
    {
        var samples = new double[calls];
        for (var i = 0; i < calls; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await call();
            samples[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }

        Array.Sort(samples);
        return (samples[calls / 2], samples[(int)(calls * 0.99)]);
    }

    /// <summary>Calls per second with <paramref name="callers"/> callers looping for <paramref name="duration"/>.</summary>
    public static async Task<double> ThroughputAsync(Func<int, Task> call, int callers, TimeSpan duration)
    {
        long completed = 0;
        var started = Stopwatch.GetTimestamp();
        var end = started + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        await Task.WhenAll(Enumerable.Range(0, callers).Select(caller => Task.Run(async () =>
        {
            while (Stopwatch.GetTimestamp() < end)
            {
                await call(caller);
                Interlocked.Increment(ref completed);
            }
        })));
        return completed / Stopwatch.GetElapsedTime(started).TotalSeconds;
    }
}
