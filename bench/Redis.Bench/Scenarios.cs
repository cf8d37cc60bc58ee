using System.Diagnostics;

namespace McpPlatform.Redis.Bench;

/// <summary>The measured workloads. Every caller shares one <see cref="RedisMultiplexer"/>, as services do.</summary>
internal static class Scenarios
{
    public const string Key = "key:__rand_int__";
    private static readonly RedisValue Value = "xxx"u8.ToArray();

    /// <summary>SET or GET: <paramref name="callers"/> concurrent callers, each keeping <paramref name="depth"/> commands in flight.</summary>
    public static async Task<double> PipelinedAsync(RedisDatabase db, bool set, int callers, int depth, int totalOperations)
    {
        var perCaller = totalOperations / callers / depth * depth;
        using var go = new SemaphoreSlim(0);
        var workers = Enumerable.Range(0, callers).Select(_ => Task.Run(async () =>
        {
            await go.WaitAsync();
            if (set)
            {
                var pending = new ValueTask<bool>[depth];
                for (var done = 0; done < perCaller; done += depth)
                {
                    for (var i = 0; i < depth; i++)
                    {
                        pending[i] = db.StringSetAsync(Key, Value);
                    }

                    for (var i = 0; i < depth; i++)
                    {
                        await pending[i];
                    }
                }
            }
            else
            {
                var pending = new ValueTask<RedisValue>[depth];
                for (var done = 0; done < perCaller; done += depth)
                {
                    for (var i = 0; i < depth; i++)
                    {
                        pending[i] = db.StringGetAsync(Key);
                    }

                    for (var i = 0; i < depth; i++)
                    {
                        await pending[i];
                    }
                }
            }
        })).ToArray();

        var clock = Stopwatch.StartNew();
        go.Release(callers);
        await Task.WhenAll(workers);
        return perCaller * callers / clock.Elapsed.TotalSeconds;
    }

    /// <summary>One caller, one operation at a time: the round-trip latency distribution (p50) and the rate.</summary>
    public static async Task<(double OpsPerSecond, double P50Milliseconds)> SequentialAsync(Func<ValueTask> operation, int count)
    {
        var latencies = new long[count];
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await operation();
            latencies[i] = Stopwatch.GetTimestamp() - started;
        }

        var elapsed = clock.Elapsed;
        Array.Sort(latencies);
        return (count / elapsed.TotalSeconds, latencies[count / 2] * 1000d / Stopwatch.Frequency);
    }

    /// <summary><paramref name="callers"/> concurrent callers, one operation at a time each.</summary>
    public static async Task<double> ConcurrentAsync(Func<ValueTask> operation, int callers, int totalOperations)
    {
        var perCaller = totalOperations / callers;
        using var go = new SemaphoreSlim(0);
        var workers = Enumerable.Range(0, callers).Select(_ => Task.Run(async () =>
        {
            await go.WaitAsync();
            for (var i = 0; i < perCaller; i++)
            {
                await operation();
            }
        })).ToArray();

        var clock = Stopwatch.StartNew();
        go.Release(callers);
        await Task.WhenAll(workers);
        return perCaller * callers / clock.Elapsed.TotalSeconds;
    }
}
