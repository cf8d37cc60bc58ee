using System.Globalization;
using McpPlatform.Bench.Dispatch;

// Usage: dotnet run -c Release --project bench/Dispatch.Bench -- [--calls 2000] [--duration 5] [--slots 4] [--per-slot 1] [--stores redis|memory] [--client mux|call]
string Option(string name, string fallback) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
var calls = int.Parse(Option("--calls", "2000"), CultureInfo.InvariantCulture);
var duration = TimeSpan.FromSeconds(double.Parse(Option("--duration", "5"), CultureInfo.InvariantCulture));
var slots = int.Parse(Option("--slots", "4"), CultureInfo.InvariantCulture);
var perSlot = int.Parse(Option("--per-slot", "1"), CultureInfo.InvariantCulture);
var redis = Option("--stores", "redis") == "redis";
var multiplex = Option("--client", "mux") == "mux";
int[] concurrency = [16, 64];

await using var children = new Children();
var dispatcher = await Topology.StartAsync(children, slots, perSlot, redis);
using var platform = new PlatformClient(dispatcher, multiplex);
var direct = new List<DirectClient>();
for (var i = 0; i < slots; i++)
{
    direct.Add(await DirectClient.StartAsync(children, perSlot));
}

// Both paths must answer the echo, not an error, or the figures mean nothing.
foreach (var answer in new[] { (await platform.EchoAsync()).ToStringUtf8(), System.Text.Encoding.UTF8.GetString(await direct[0].EchoAsync()) })
{
    if (!answer.Contains("\"text\":\"hello\"", StringComparison.Ordinal) || answer.Contains("\"error\"", StringComparison.Ordinal))
    {
        throw new InvalidOperationException("Unexpected answer: " + answer);
    }
}

Task Platform(int caller) => platform.EchoAsync();
Task Direct(int caller) => direct[caller % slots].EchoAsync();

Console.WriteLine($"{Environment.ProcessorCount} cores, .NET {Environment.Version}, {Children.Configuration}, stores {(redis ? "redis-server" : "in-process")}, client {(multiplex ? "RelayMux streams" : "one Relay RPC per call")}, " +
    $"{slots} slots x {perSlot} call(s) per slot, load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");

// Warm-up: every path, long enough for tiered JIT (with PGO) in all four processes.
for (var round = 0; round < 2; round++)
{
    await Measure.SequentialAsync(() => Platform(0), calls / 2);
    await Measure.SequentialAsync(() => Direct(0), calls / 2);
    await Measure.ThroughputAsync(Platform, 64, TimeSpan.FromSeconds(1));
    await Measure.ThroughputAsync(Direct, 64, TimeSpan.FromSeconds(1));
}

// Both sides back to back per row, best of three (the machine is shared; the ratio is what to read).
var (platformP50, platformP99) = await BestLatency(() => Measure.SequentialAsync(() => Platform(0), calls));
var (directP50, directP99) = await BestLatency(() => Measure.SequentialAsync(() => Direct(0), calls));
Console.WriteLine();
Console.WriteLine("| metric | platform (gRPC -> dispatcher -> worker -> stdio) | direct stdio | platform - direct or platform / direct |");
Console.WriteLine("|---|---:|---:|---:|");
Console.WriteLine(FormattableString.Invariant($"| sequential p50 (ms) | {platformP50:F3} | {directP50:F3} | +{platformP50 - directP50:F3} ms |"));
Console.WriteLine(FormattableString.Invariant($"| sequential p99 (ms) | {platformP99:F3} | {directP99:F3} | +{platformP99 - directP99:F3} ms |"));
foreach (var callers in concurrency)
{
    var platformRate = await Best(() => Measure.ThroughputAsync(Platform, callers, duration));
    var directRate = await Best(() => Measure.ThroughputAsync(Direct, callers, duration));
    Console.WriteLine(FormattableString.Invariant($"| calls/s, {callers} callers | {platformRate:N0} | {directRate:N0} | {platformRate / directRate:P0} |"));
}

Console.WriteLine();
Console.WriteLine($"load average after: {File.ReadAllText("/proc/loadavg").Trim()}");
foreach (var client in direct)
{
    await client.DisposeAsync();
}

static async Task<double> Best(Func<Task<double>> run)
{
    var best = 0d;
    for (var i = 0; i < 3; i++)
    {
        best = Math.Max(best, await run());
    }

    return best;
}

static async Task<(double P50, double P99)> BestLatency(Func<Task<(double P50, double P99)>> run)
{
    (double P50, double P99) best = (double.MaxValue, double.MaxValue);
    for (var i = 0; i < 3; i++)
    {
        var result = await run();
        best = result.P50 < best.P50 ? result : best;
    }

    return best;
}
