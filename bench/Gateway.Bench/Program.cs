using System.Globalization;
using McpPlatform.Bench.Gateway.Report;
using McpPlatform.Bench.Gateway.Scenarios;
using McpPlatform.Bench.Gateway.Targets;

// Gateway.Bench [--quick] [--targets direct,supergateway,supergateway-sse,mcp-proxy,platform] [--rounds N]
//               [--duration S] [--no-platform-build] [--no-sdk] [--output FILE]
// The same lean client and the same stdio echo server against every target, in one run. See README.md.
var options = args.Contains("--quick") ? ScenarioOptions.Quick : new ScenarioOptions();
if (Value("--rounds") is { } rounds)
{
    options = options with { Rounds = int.Parse(rounds, CultureInfo.InvariantCulture) };
}
if (Value("--duration") is { } duration)
{
    options = options with { Duration = TimeSpan.FromSeconds(double.Parse(duration, CultureInfo.InvariantCulture)) };
}
var wanted = (Value("--targets") ?? "direct,supergateway,supergateway-sse,mcp-proxy,platform").Split(',');

// Ctrl+C and SIGTERM end the run through cancellation, so every target is disposed: no process outlives the bench.
using var stop = new CancellationTokenSource();
using var onInterrupt = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGINT, Stop);
using var onTerminate = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, Stop);

await using var platform = new PlatformRun();
var targets = new List<Target>();
if (wanted.Contains("direct"))
{
    targets.Add(new DirectStdioTarget());
}
if (wanted.Contains("supergateway"))
{
    targets.Add(NodeGatewayTarget.Supergateway());
}
if (wanted.Contains("supergateway-sse"))
{
    targets.Add(NodeGatewayTarget.SupergatewaySse());
}
if (wanted.Contains("mcp-proxy"))
{
    targets.Add(NodeGatewayTarget.McpProxy());
}
string? platformFailure = null;
if (wanted.Contains("platform"))
{
    try
    {
        await platform.StartAsync(build: !args.Contains("--no-platform-build"), stop.Token);
        targets.Add(new PlatformTarget(platform, authenticated: true));
        targets.Add(new PlatformTarget(platform, authenticated: false));
        if (wanted.Contains("supergateway-sse"))
        {
            targets.Add(new PlatformTarget(platform, authenticated: true, legacySse: true));
        }
    }
    catch (InvalidOperationException ex)
    {
        platformFailure = ex.Message;
        Console.Error.WriteLine("McpPlatform did not start: " + ex.Message);
    }
    Console.Error.WriteLine($"McpPlatform at {platform.Gateway}, authenticated with {platform.KeyNote}");
}

var startedAt = DateTimeOffset.UtcNow;
var load = File.ReadAllText("/proc/loadavg").Split(' ')[..3];
IReadOnlyList<TargetResult> results;
try
{
    results = await new BenchRunner(targets, options, t => t is not PlatformTarget || t.Name == PlatformTarget.Main,
        sdkCrossCheck: !args.Contains("--no-sdk")).RunAsync(stop.Token);
}
catch (OperationCanceledException) when (stop.IsCancellationRequested)
{
    Console.Error.WriteLine("stopped; every process the bench started is being ended");
    return 130;
}
finally
{
    foreach (var target in targets)
    {
        await target.DisposeAsync();
    }
}
var loadAfter = File.ReadAllText("/proc/loadavg").Split(' ')[..3];

var report = new System.Text.StringBuilder();
report.AppendLine(string.Create(CultureInfo.InvariantCulture,
    $"Run {startedAt:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, load average {string.Join(" ", load)} before, {string.Join(" ", loadAfter)} after; " +
    $"best of {options.Rounds} round(s), {options.Warmup.TotalSeconds:F0} s warm-up + {options.Duration.TotalSeconds:F0} s per throughput row, {options.SequentialCalls} sequential calls."));
report.AppendLine();
report.Append(ResultTable.ToMarkdown(results));
if (platform.Gateway is not null)
{
    report.AppendLine($"- McpPlatform's authenticated rows use {platform.KeyNote}.");
}
if (platformFailure is not null)
{
    report.AppendLine($"- McpPlatform: did not start: {platformFailure}");
}
Console.WriteLine(report);
if (Value("--output") is { } output)
{
    await File.WriteAllTextAsync(output, report.ToString());
}
return 0;

void Stop(System.Runtime.InteropServices.PosixSignalContext context)
{
    context.Cancel = true;
    stop.Cancel();
}

string? Value(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
