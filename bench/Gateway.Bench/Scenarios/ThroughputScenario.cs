using System.Diagnostics;
using McpPlatform.Bench.Gateway.Client;
using McpPlatform.Bench.Gateway.Measurement;
using McpPlatform.Bench.Gateway.Report;
using McpPlatform.Bench.Gateway.Targets;

namespace McpPlatform.Bench.Gateway.Scenarios;

/// <summary>
/// N sessions, each calling echo back to back: a warm-up, then a measured window in which calls
/// completed, their latencies and the target's CPU time (stdio server excluded) are counted.
/// </summary>
public static class ThroughputScenario
{
    public static async Task RunAsync(Target target, int concurrency, ScenarioOptions options, TargetResult result, CancellationToken cancellationToken)
    {
        var sessions = await Sessions.OpenAsync(target, concurrency, cancellationToken).ConfigureAwait(false);
        try
        {
            var calls = new Tally();
            var times = new Latencies();
            var phase = new Phase();
            var workers = sessions.Select(s => Task.Run(() => LoopAsync(s, phase, calls, times, options, cancellationToken), cancellationToken)).ToList();

            await Task.Delay(options.Warmup, cancellationToken).ConfigureAwait(false);
            var cpuBefore = target.HasOwnProcesses ? ProcessTree.CpuByProcess(target.RootProcessIds) : [];
            var started = Stopwatch.GetTimestamp();
            phase.Measuring = true;
            await Task.Delay(options.Duration, cancellationToken).ConfigureAwait(false);
            phase.Measuring = false;
            var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            var cpuAfter = target.HasOwnProcesses ? ProcessTree.CpuByProcess(target.RootProcessIds) : [];
            phase.Stopped = true;
            await Task.WhenAll(workers).ConfigureAwait(false);

            result.Calls.Add(calls);
            var measured = times.Count;
            var rate = measured / seconds;
            Console.Error.WriteLine($"  {target.Name} x{concurrency}: {rate:F0} calls/s, p50 {times.Percentile(50):F2} ms, p99 {times.Percentile(99):F2} ms");
            if (!result.Throughput.TryGetValue(concurrency, out var best) || rate > best)
            {
                result.Throughput[concurrency] = rate;
                result.P50Ms[concurrency] = times.Percentile(50);
                result.P99Ms[concurrency] = times.Percentile(99);
                if (target.HasOwnProcesses && concurrency == options.Concurrency.Max() && measured > 0)
                {
                    var perProcess = cpuAfter.ToDictionary(p => p.Key, p => (p.Value - cpuBefore.GetValueOrDefault(p.Key)) * 1e6 / measured);
                    result.CpuByProcess = perProcess.Where(p => p.Value > 0).ToDictionary();
                    result.CpuPerCallMicros = perProcess.Values.Where(v => v > 0).Sum();
                }
            }
        }
        finally
        {
            await Sessions.CloseAsync(sessions).ConfigureAwait(false);
        }
    }

    private static async Task LoopAsync(McpSession session, Phase phase, Tally calls, Latencies times, ScenarioOptions options, CancellationToken cancellationToken)
    {
        var mine = new List<long>(4096);
        while (!phase.Stopped)
        {
            var measuring = phase.Measuring;
            var started = Stopwatch.GetTimestamp();
            var outcome = await Sessions.EchoAsync(session, options.CallTimeout, cancellationToken).ConfigureAwait(false);
            var elapsed = Stopwatch.GetTimestamp() - started;
            calls.Add(outcome);
            // A call counts in the window only if it started and ended inside it.
            if (measuring && phase.Measuring && outcome.Status == CallStatus.Ok)
            {
                mine.Add(elapsed);
            }
        }
        times.AddRange(mine);
    }

    private sealed class Phase
    {
        public volatile bool Measuring;
        public volatile bool Stopped;
    }
}
