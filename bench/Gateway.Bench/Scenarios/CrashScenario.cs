using System.Diagnostics;
using System.Globalization;
using McpPlatform.Bench.Gateway.Client;
using McpPlatform.Bench.Gateway.Measurement;
using McpPlatform.Bench.Gateway.Report;
using McpPlatform.Bench.Gateway.Targets;

namespace McpPlatform.Bench.Gateway.Scenarios;

/// <summary>
/// The stdio server is killed (SIGKILL, every echo process of the target) while a 3 s call is in
/// flight: what that call gets, whether the gateway lives, and whether the same session and a new
/// one work again (retried for up to 10 s; the time to the first success is reported).
/// </summary>
public static class CrashScenario
{
    private static readonly TimeSpan RecoveryWindow = TimeSpan.FromSeconds(10);

    public static async Task RunAsync(Target target, ScenarioOptions options, TargetResult result, CancellationToken cancellationToken)
    {
        var session = await target.OpenSessionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            result.Calls.Add(await Sessions.EchoAsync(session, options.CallTimeout, cancellationToken).ConfigureAwait(false));
            using var callTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            callTimeout.CancelAfter(TimeSpan.FromSeconds(15));
            var started = Stopwatch.GetTimestamp();
            var inFlight = session.CallToolAsync("sleep", """{"ms":3000}""", callTimeout.Token);
            await Task.Delay(500, cancellationToken).ConfigureAwait(false);
            var killed = KillServers(target);
            var outcome = await inFlight.ConfigureAwait(false);
            var inFlightText = $"{Describe(outcome)} after {Stopwatch.GetElapsedTime(started).TotalSeconds - 0.5:F2} s";
            var alive = target.IsAlive;
            var same = await RecoverAsync(() => Sessions.EchoAsync(session, options.CallTimeout, cancellationToken), cancellationToken).ConfigureAwait(false);
            var fresh = await RecoverAsync(async () =>
            {
                await using var other = await target.OpenSessionAsync(cancellationToken).ConfigureAwait(false);
                return await Sessions.EchoAsync(other, options.CallTimeout, cancellationToken).ConfigureAwait(false);
            }, cancellationToken).ConfigureAwait(false);
            result.Crash = new CrashResult(inFlightText, alive, same, fresh, killed);
            Console.Error.WriteLine($"  {target.Name} crash: killed {killed}; in flight: {inFlightText}; alive {alive}; same session: {same}; new session: {fresh}");
        }
        finally
        {
            await session.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static int KillServers(Target target)
    {
        var killed = 0;
        foreach (var pid in ProcessTree.WithDescendants(target.RootProcessIds).Where(ProcessTree.IsStdioServer))
        {
            try
            {
                using var process = Process.GetProcessById(pid);
                if (process.ProcessName == "dotnet")
                {
                    process.Kill();
                    killed++;
                }
            }
            catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
            {
            }
        }
        return killed;
    }

    /// <summary>Tries until the first success or the window ends: "ok", "ok after 0.42 s", or the last failure.</summary>
    private static async Task<string> RecoverAsync(Func<Task<CallOutcome>> attempt, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        string? first = null;
        while (true)
        {
            string failure;
            try
            {
                var outcome = await attempt().ConfigureAwait(false);
                if (outcome.Status == CallStatus.Ok)
                {
                    var after = Stopwatch.GetElapsedTime(started).TotalSeconds;
                    return first is null ? "ok" : string.Create(CultureInfo.InvariantCulture, $"ok after {after:F2} s (first: {first})");
                }
                failure = Describe(outcome);
            }
            catch (Exception ex) when (ex is HttpRequestException or InvalidOperationException or IOException
                || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                failure = "session: " + Shorten(ex.Message);
            }
            first ??= failure;
            if (Stopwatch.GetElapsedTime(started) > RecoveryWindow)
            {
                return $"fails for {RecoveryWindow.TotalSeconds:F0} s: {failure}";
            }
            await Task.Delay(250, cancellationToken).ConfigureAwait(false);
        }
    }

    private static string Describe(CallOutcome outcome) => outcome.Status switch
    {
        CallStatus.Ok => "ok (no error)",
        CallStatus.Error => "error: " + Shorten(outcome.Detail ?? ""),
        CallStatus.Lost => "no answer: " + Shorten(outcome.Detail ?? ""),
        _ => "wrong: " + Shorten(outcome.Detail ?? ""),
    };

    private static string Shorten(string text) => text.Length > 90 ? text[..90] + "…" : text;
}
