using System.Diagnostics;
using McpPlatform.Bench.Gateway.Measurement;
using McpPlatform.Bench.Gateway.Report;
using McpPlatform.Bench.Gateway.Targets;

namespace McpPlatform.Bench.Gateway.Scenarios;

/// <summary>One session, one call at a time: the latency a single user sees.</summary>
public static class SequentialScenario
{
    public static async Task RunAsync(Target target, ScenarioOptions options, TargetResult result, CancellationToken cancellationToken)
    {
        await using var session = await target.OpenSessionAsync(cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < options.SequentialWarmup; i++)
        {
            result.Calls.Add(await Sessions.EchoAsync(session, options.CallTimeout, cancellationToken).ConfigureAwait(false));
        }
        var times = new Latencies();
        for (var i = 0; i < options.SequentialCalls; i++)
        {
            var started = Stopwatch.GetTimestamp();
            var outcome = await Sessions.EchoAsync(session, options.CallTimeout, cancellationToken).ConfigureAwait(false);
            times.Add(Stopwatch.GetTimestamp() - started);
            result.Calls.Add(outcome);
        }
        var p50 = times.Percentile(50);
        if (double.IsNaN(result.SequentialP50Ms) || p50 < result.SequentialP50Ms)
        {
            result.SequentialP50Ms = p50;
            result.SequentialP99Ms = times.Percentile(99);
        }
    }
}
