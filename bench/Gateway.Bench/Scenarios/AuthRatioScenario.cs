using System.Diagnostics;
using McpPlatform.Bench.Gateway.Client;
using McpPlatform.Bench.Gateway.Measurement;
using McpPlatform.Bench.Gateway.Report;
using McpPlatform.Bench.Gateway.Targets;

namespace McpPlatform.Bench.Gateway.Scenarios;

/// <summary>
/// Issue 6's ratio measured so that the machine's drift cancels out: the authenticated and the anonymous session sets
/// are open side by side on the same running platform, and the load alternates between them in short slices in an
/// A B B A order (repeated), each slice warmed before it is counted. The ratio is the authenticated calls over the
/// anonymous calls in equal measured time; the platform's CPU per call is counted for each side over the same slices.
/// </summary>
public static class AuthRatioScenario
{
    private static readonly TimeSpan SliceWarmup = TimeSpan.FromMilliseconds(500);

    public static async Task RunAsync(Target auth, TargetResult authResult, Target off, TargetResult offResult, int concurrency, ScenarioOptions options, CancellationToken cancellationToken)
    {
        var withAuth = await Sessions.OpenAsync(auth, concurrency, cancellationToken).ConfigureAwait(false);
        try
        {
            var without = await Sessions.OpenAsync(off, concurrency, cancellationToken).ConfigureAwait(false);
            try
            {
                var on = new Side(authResult.Calls);
                var anonymous = new Side(offResult.Calls);
                // A B B A, repeated: a linear drift in the machine's speed weighs on both sides alike.
                for (var pair = 0; pair < options.AuthRatioPairs; pair++)
                {
                    var (first, firstSide, second, secondSide) = pair % 2 == 0
                        ? (withAuth, on, without, anonymous)
                        : (without, anonymous, withAuth, on);
                    await SliceAsync(auth, first, firstSide, options, cancellationToken).ConfigureAwait(false);
                    await SliceAsync(auth, second, secondSide, options, cancellationToken).ConfigureAwait(false);
                }

                var ratio = new AuthRatioResult(
                    on.Calls / on.Seconds, anonymous.Calls / anonymous.Seconds,
                    on.Calls > 0 ? on.CpuSeconds * 1e6 / on.Calls : double.NaN,
                    anonymous.Calls > 0 ? anonymous.CpuSeconds * 1e6 / anonymous.Calls : double.NaN,
                    options.AuthRatioPairs, on.Failed + anonymous.Failed);
                authResult.AuthRatios[concurrency] = ratio;
                Console.Error.WriteLine($"  auth ratio x{concurrency}: {ratio.Percent:F1} % ({ratio.WithAuth:F0} vs {ratio.WithoutAuth:F0} calls/s, " +
                    $"{ratio.CpuWithAuthMicros:F0} vs {ratio.CpuWithoutAuthMicros:F0} µs per call)");
            }
            finally
            {
                await Sessions.CloseAsync(without).ConfigureAwait(false);
            }
        }
        finally
        {
            await Sessions.CloseAsync(withAuth).ConfigureAwait(false);
        }
    }

    private static async Task SliceAsync(Target platform, List<McpSession> sessions, Side side, ScenarioOptions options, CancellationToken cancellationToken)
    {
        var state = new SliceState(side);
        var loops = sessions.Select(s => Task.Run(() => LoopAsync(s, state, options, cancellationToken), cancellationToken)).ToList();
        await Task.Delay(SliceWarmup, cancellationToken).ConfigureAwait(false);
        var cpuBefore = ProcessTree.CpuByProcess(platform.RootProcessIds).Values.Sum();
        var started = Stopwatch.GetTimestamp();
        Interlocked.Exchange(ref state.Counted, 0);
        state.Measuring = true;
        await Task.Delay(options.AuthRatioSlice, cancellationToken).ConfigureAwait(false);
        var counted = Interlocked.Read(ref state.Counted);
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var cpuAfter = ProcessTree.CpuByProcess(platform.RootProcessIds).Values.Sum();
        state.Measuring = false;
        state.Stopped = true;
        await Task.WhenAll(loops).ConfigureAwait(false);
        side.Calls += counted;
        side.Seconds += seconds;
        side.CpuSeconds += cpuAfter - cpuBefore;
    }

    private static async Task LoopAsync(McpSession session, SliceState state, ScenarioOptions options, CancellationToken cancellationToken)
    {
        while (!state.Stopped)
        {
            var outcome = await Sessions.EchoAsync(session, options.CallTimeout, cancellationToken).ConfigureAwait(false);
            state.Side.Tally.Add(outcome);
            if (outcome.Status != CallStatus.Ok)
            {
                Interlocked.Increment(ref state.Side.Failed);
            }
            else if (state.Measuring)
            {
                Interlocked.Increment(ref state.Counted);
            }
        }
    }

    private sealed class SliceState(Side side)
    {
        public Side Side { get; } = side;

        public long Counted;
        public volatile bool Measuring;
        public volatile bool Stopped;
    }

    private sealed class Side(Tally tally)
    {
        public Tally Tally { get; } = tally;

        public long Calls;
        public double Seconds;
        public double CpuSeconds;
        public long Failed;
    }
}
