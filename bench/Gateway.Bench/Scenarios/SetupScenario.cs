using System.Diagnostics;
using McpPlatform.Bench.Gateway.Measurement;
using McpPlatform.Bench.Gateway.Report;
using McpPlatform.Bench.Gateway.Targets;

namespace McpPlatform.Bench.Gateway.Scenarios;

/// <summary>Session setup, warm: initialize → answer → notifications/initialized, one session after another; the first is not counted.</summary>
public static class SetupScenario
{
    public static async Task RunAsync(Target target, ScenarioOptions options, TargetResult result, CancellationToken cancellationToken)
    {
        var times = new Latencies();
        for (var i = 0; i <= options.SetupSessions; i++)
        {
            var started = Stopwatch.GetTimestamp();
            var session = await target.OpenSessionAsync(cancellationToken).ConfigureAwait(false);
            var elapsed = Stopwatch.GetTimestamp() - started;
            if (i > 0)
            {
                times.Add(elapsed);
            }
            result.Calls.Add(await Sessions.EchoAsync(session, options.CallTimeout, cancellationToken).ConfigureAwait(false));
            await session.DisposeAsync().ConfigureAwait(false);
        }
        var p50 = times.Percentile(50);
        if (double.IsNaN(result.SetupP50Ms) || p50 < result.SetupP50Ms)
        {
            result.SetupP50Ms = p50;
            result.SetupP99Ms = times.Percentile(99);
        }
    }
}
