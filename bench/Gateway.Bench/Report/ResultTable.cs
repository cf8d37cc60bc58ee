using System.Globalization;
using System.Text;

namespace McpPlatform.Bench.Gateway.Report;

/// <summary>
/// The Markdown report: one table with a column per target, the issue's target for each row, and
/// McpPlatform against the better of the npm peers; then the crash scenario, the per-process CPU
/// and the auth comparison of issue 6.
/// </summary>
public static class ResultTable
{
    private const string Ours = Targets.PlatformTarget.Main;
    private const string OursAuthOff = Targets.PlatformTarget.AuthOff;
    private static readonly string[] Peers = ["supergateway", "supergateway SSE", "mcp-proxy"];

    public static string ToMarkdown(IReadOnlyList<TargetResult> results)
    {
        var text = new StringBuilder();
        var columns = results.Select(r => r.Name).ToList();
        text.AppendLine($"| metric | {string.Join(" | ", columns)} | target (issue 7) | McpPlatform vs better peer |");
        text.AppendLine($"|---|{string.Join("", columns.Select(_ => "---:|"))}---|---|");
        Row(text, results, "session setup, warm, p50 (ms)", r => r.SetupP50Ms, "F2", higherIsBetter: false, "≤ 5 ms");
        Row(text, results, "session setup, warm, p99 (ms)", r => r.SetupP99Ms, "F2", higherIsBetter: false, "");
        Row(text, results, "sequential tools/call p50 (ms)", r => r.SequentialP50Ms, "F3", higherIsBetter: false, "≤ 1 ms");
        Row(text, results, "sequential tools/call p99 (ms)", r => r.SequentialP99Ms, "F3", higherIsBetter: false, "");
        Row(text, results, "calls/s, 16 sessions", r => r.Throughput.GetValueOrDefault(16, double.NaN), "F0", higherIsBetter: true, "");
        Row(text, results, "calls/s, 64 sessions", r => r.Throughput.GetValueOrDefault(64, double.NaN), "F0", higherIsBetter: true, "≥ 2× better peer");
        Row(text, results, "p50 at 64 sessions (ms)", r => r.P50Ms.GetValueOrDefault(64, double.NaN), "F2", higherIsBetter: false, "");
        Row(text, results, "p99 at 64 sessions (ms)", r => r.P99Ms.GetValueOrDefault(64, double.NaN), "F2", higherIsBetter: false, "≤ ½ better peer");
        Row(text, results, "CPU per call at 64, stdio server excluded (µs)", r => r.CpuPerCallMicros, "F0", higherIsBetter: false, "≤ 250 µs");
        Row(text, results, "processes per session", r => r.ProcessesPerSession, "F2", higherIsBetter: false, "");
        foreach (var sessions in new[] { 1, 10, 50 })
        {
            Row(text, results, $"RSS with {sessions} open sessions (MiB)",
                r => r.Memory.TryGetValue(sessions, out var s) ? s.RssBytes / 1048576.0 : double.NaN, "F0", higherIsBetter: false, "");
        }
        Row(text, results, "RSS per idle session (KiB)", r => r.KiBPerIdleSession, "F0", higherIsBetter: false, "≤ 100 KiB");
        Row(text, results, "stdio processes left 3 s after closing 50 sessions", r => r.ServersAfterClose < 0 ? double.NaN : r.ServersAfterClose,
            "F0", higherIsBetter: false, "", ratio: false);
        Row(text, results, "calls checked", r => r.Calls.Total, "F0", higherIsBetter: true, "", ratio: false);
        Row(text, results, "wrong or lost answers", r => r.WrongOrLost, "F0", higherIsBetter: false, "0", ratio: false);
        Row(text, results, "answers delivered to a session that did not ask", r => r.Strays, "F0", higherIsBetter: false, "0", ratio: false);
        Row(text, results, "error answers", r => r.Calls.Errors, "F0", higherIsBetter: false, "", ratio: false);
        text.AppendLine();
        AppendSdk(text, results);
        AppendCrash(text, results);
        AppendAuth(text, results);
        AppendDetails(text, results);
        return text.ToString();
    }

    private static void Row(StringBuilder text, IReadOnlyList<TargetResult> results, string metric, Func<TargetResult, double> value,
        string format, bool higherIsBetter, string target, bool ratio = true)
    {
        string Cell(TargetResult r) => r.Failure is not null || double.IsNaN(value(r)) ? "—" : value(r).ToString(format, CultureInfo.InvariantCulture);
        var peers = results.Where(r => Peers.Contains(r.Name) && r.Failure is null).Select(value).Where(v => !double.IsNaN(v)).ToList();
        var ours = results.FirstOrDefault(r => r.Name == Ours);
        var comparison = "";
        if (ratio && ours is not null && peers.Count > 0 && !double.IsNaN(value(ours)))
        {
            var better = higherIsBetter ? peers.Max() : peers.Min();
            var factor = higherIsBetter ? value(ours) / better : better / value(ours);
            comparison = better == 0 ? "" : factor.ToString("F2", CultureInfo.InvariantCulture) + "× " + (factor >= 1 ? "better" : "worse");
        }
        text.AppendLine($"| {metric} | {string.Join(" | ", results.Select(Cell))} | {target} | {comparison} |");
    }

    private static void AppendSdk(StringBuilder text, IReadOnlyList<TargetResult> results)
    {
        var measured = results.Where(r => r.Sdk is not null).ToList();
        if (measured.Count == 0)
        {
            return;
        }
        text.AppendLine("Cross-check with the TypeScript SDK client (16 sessions; its own CPU per call caps it, so these are client-bound):");
        text.AppendLine();
        text.AppendLine("| target | calls/s | p50 (ms) | SDK client CPU per call (µs) | wrong | errors |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|");
        foreach (var r in measured)
        {
            var s = r.Sdk!;
            text.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {r.Name} | {s.CallsPerSecond:F0} | {s.P50Ms:F2} | {s.ClientCpuMicrosPerCall:F0} | {s.Wrong} | {s.Errors} |"));
        }
        text.AppendLine();
    }

    private static void AppendCrash(StringBuilder text, IReadOnlyList<TargetResult> results)
    {
        var crashed = results.Where(r => r.Crash is not null).ToList();
        if (crashed.Count == 0)
        {
            return;
        }
        text.AppendLine("Crash: every echo server process of the target killed 0.5 s into a 3 s `sleep` call (target: the in-flight call errors, everything else keeps working).");
        text.AppendLine();
        text.AppendLine("| target | killed | in-flight call | gateway alive | same session | new session |");
        text.AppendLine("|---|---:|---|---|---|---|");
        foreach (var r in crashed)
        {
            var c = r.Crash!;
            text.AppendLine($"| {r.Name} | {c.Killed} | {Escape(c.InFlight)} | {(c.GatewayAlive ? "yes" : "no")} | {Escape(c.SameSession)} | {Escape(c.NewSession)} |");
        }
        text.AppendLine();
    }

    private static void AppendAuth(StringBuilder text, IReadOnlyList<TargetResult> results)
    {
        var on = results.FirstOrDefault(r => r.Name == Ours);
        var off = results.FirstOrDefault(r => r.Name == OursAuthOff);
        if (on is null || off is null || on.Failure is not null || off.Failure is not null)
        {
            return;
        }
        text.AppendLine("Issue 6: authenticated tools/call (Bearer API key) against the same path without credentials (anonymous server), same run (target ≥ 95 %):");
        text.AppendLine();
        foreach (var concurrency in on.Throughput.Keys.Order())
        {
            var a = on.Throughput[concurrency];
            var b = off.Throughput.GetValueOrDefault(concurrency, double.NaN);
            text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"- {concurrency} sessions, best rounds: {a:F0} calls/s with auth, {b:F0} without: {a / b * 100:F1} %"));
        }
        foreach (var (concurrency, ratio) in on.AuthRatios.OrderBy(r => r.Key))
        {
            var failed = ratio.Failed > 0 ? FormattableString.Invariant($"; {ratio.Failed} calls failed") : string.Empty;
            text.AppendLine(FormattableString.Invariant(
                $"- {concurrency} sessions, paired ({ratio.Pairs} A/B pairs of slices, alternating): {ratio.WithAuth:F0} calls/s with auth, {ratio.WithoutAuth:F0} without: **{ratio.Percent:F1} %**; platform CPU per call {ratio.CpuWithAuthMicros:F0} µs with auth, {ratio.CpuWithoutAuthMicros:F0} µs without{failed}"));
        }
        text.AppendLine();
    }

    private static void AppendDetails(StringBuilder text, IReadOnlyList<TargetResult> results)
    {
        foreach (var r in results)
        {
            if (r.CpuByProcess.Count > 0)
            {
                text.AppendLine($"CPU per call at 64 sessions, {r.Name}: " + string.Join(", ",
                    r.CpuByProcess.OrderByDescending(p => p.Value).Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key} {p.Value:F0} µs"))));
            }
        }
        foreach (var r in results)
        {
            if (r.Failure is not null)
            {
                text.AppendLine($"- {r.Name}: {r.Failure}");
            }
            foreach (var note in r.Notes)
            {
                text.AppendLine($"- {r.Name}: {Escape(note)}");
            }
            if (r.WrongOrLost + r.Calls.Errors > 0)
            {
                text.AppendLine($"- {r.Name}: {r.Calls.Wrong} wrong, {r.Calls.Lost} lost, {r.Strays} stray, {r.Calls.Errors} errors; e.g. {Escape(string.Join("; ", r.Calls.Samples))}");
            }
        }
    }

    private static string Escape(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
}
