using System.Globalization;
using System.Text.Json;
using McpPlatform.Bench.Grpc;

// Grpc.Bench [--duration S] [--warmup S] [--payload BYTES]: our client -> our server next to
// grpc-js client -> grpc-js server, unary calls/s and bidi ping-pong messages/s at 1 and 64 calls.
if (args is ["server"])
{
    await BenchServer.RunAsync();
    return 0;
}

var duration = TimeSpan.FromSeconds(Option("--duration", 5));
var warmup = TimeSpan.FromSeconds(Option("--warmup", 2));
var payload = Option("--payload", 100);
var nodeDirectory = FindNodeDirectory();

await using var ours = ChildProcess.StartSelf("server");
var ourPort = int.Parse(await ours.ReadLineAsync("PORT ", TimeSpan.FromSeconds(30)), CultureInfo.InvariantCulture);
await using var theirs = ChildProcess.Start("node", nodeDirectory, "bench.js", "server");
var theirPort = int.Parse(await theirs.ReadLineAsync("PORT ", TimeSpan.FromSeconds(30)), CultureInfo.InvariantCulture);

var cross = args.Contains("--cross");
var only = args.Contains("--scenario") ? args[Array.IndexOf(args, "--scenario") + 1] : null;
var table = new ResultTable();
var crossTable = new ResultTable();
foreach (var scenario in new[] { "unary", "pingpong" }.Where(s => only is null || s == only))
{
    foreach (var concurrency in new[] { 1, 64 })
    {
        var metric = scenario == "unary" ? "unary calls/s" : "bidi messages/s";
        var our = await OurClientWorkload.RunAsync(ourPort, scenario, concurrency, warmup, duration, payload);
        var their = await RunNodeClientAsync(theirPort, scenario, concurrency);
        table.Add(metric, concurrency, our, their);
        Console.Error.WriteLine($"{scenario} x{concurrency}: ours {our:F0}/s, grpc-js {their:F0}/s");
        if (cross)
        {
            // Which side is faster: our client -> grpc-js server, and grpc-js client -> our server.
            var ourClient = await OurClientWorkload.RunAsync(theirPort, scenario, concurrency, warmup, duration, payload);
            var theirClient = await RunNodeClientAsync(ourPort, scenario, concurrency);
            crossTable.Add(metric, concurrency, ourClient, theirClient);
        }
    }
}

Console.WriteLine();
Console.WriteLine($"payload {payload} B, {warmup.TotalSeconds:F0} s warm-up, {duration.TotalSeconds:F0} s measured per row, {Environment.ProcessorCount} cores");
Console.WriteLine(table.ToMarkdown());
if (cross)
{
    Console.WriteLine("Cross pairs: 'ours' = our client -> grpc-js server, 'grpc-js' = grpc-js client -> our server");
    Console.WriteLine(crossTable.ToMarkdown());
}

return 0;

async Task<double> RunNodeClientAsync(int port, string scenario, int concurrency)
{
    await using var client = ChildProcess.Start("node", nodeDirectory, "bench.js", "client", port.ToString(CultureInfo.InvariantCulture), scenario,
        concurrency.ToString(CultureInfo.InvariantCulture), ((int)warmup.TotalMilliseconds).ToString(CultureInfo.InvariantCulture),
        ((int)duration.TotalMilliseconds).ToString(CultureInfo.InvariantCulture), payload.ToString(CultureInfo.InvariantCulture));
    var json = await client.ReadLineAsync("RESULT ", duration + warmup + TimeSpan.FromSeconds(60));
    using var result = JsonDocument.Parse(json);
    return result.RootElement.GetProperty("ops").GetDouble() / result.RootElement.GetProperty("seconds").GetDouble();
}

// node/ (with node_modules from `npm ci`) lives beside the project, above the build output.
static string FindNodeDirectory()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        var candidate = Path.Combine(dir.FullName, "bench", "Grpc.Bench", "node");
        if (File.Exists(Path.Combine(candidate, "bench.js")))
        {
            return candidate;
        }
    }

    throw new InvalidOperationException("bench/Grpc.Bench/node not found above " + AppContext.BaseDirectory);
}

int Option(string name, int fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
}
