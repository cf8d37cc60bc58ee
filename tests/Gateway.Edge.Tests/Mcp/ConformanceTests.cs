using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Xunit;
using Xunit.Abstractions;

namespace McpPlatform.Gateway.Edge.Tests.Mcp;

/// <summary>
/// <c>@modelcontextprotocol/conformance</c> (Node 22, from tests/Gateway.Edge.Tests/node) against the conformance
/// fixture behind the gateway, anonymous and in session isolation (sampling and elicitation need a process leased to
/// the session): every active server scenario must pass (the suite exits 1 on any failed check).
/// </summary>
[Collection(McpPlatformCollection.Name)]
public sealed class ConformanceTests(McpPlatformFixture platform, ITestOutputHelper output)
{
    // Every scenario opens its own session and none is ever DELETEd (the SDK client's close() only drops its
    // connections). Without reclaiming, a run held one conformance-session slot per scenario (30) until the idle
    // timeout, and with fewer slots every initialize past the last free one waited the dispatcher's queue timeout (10 s)
    // and got 503 session_unavailable: that is how this test once passed only 9 of 31 checks. Now a new session that
    // finds no free slot takes the slot of a session silent for Dispatcher:SessionReclaimAfter (5 s in the fixture)
    // that waits for no answer, so the run goes through the fixture's 8 slots and can be repeated on the same platform.
    [Fact(Timeout = 300_000)]
    public async Task ConformanceSuite_AgainstTheGateway_EveryActiveScenarioPasses()
    {
        var node = await Node22Async();
        var suite = Path.Combine(NodeFolder(), "node_modules", "@modelcontextprotocol", "conformance", "dist", "index.js");
        Assert.True(File.Exists(suite), $"{suite} is missing: run npm ci in tests/Gateway.Edge.Tests/node (eng/test does).");
        var results = Directory.CreateTempSubdirectory("conformance-");
        try
        {
            var url = new Uri(platform.Gateway, "/mcp/conformance-session").ToString().Replace("127.0.0.1", "localhost", StringComparison.Ordinal);
            var (exit, text) = await RunAsync(node, [suite, "server", "--url", url, "-o", results.FullName], TimeSpan.FromMinutes(4));
            output.WriteLine(text);

            Assert.True(exit == 0, $"conformance suite exited {exit}:\n{Failures(text)}");

            // Exit 0 with nothing run would prove nothing: the summary must count passed checks and no failed one.
            var total = Regex.Match(text, @"Total: (\d+) passed, (\d+) failed");
            Assert.True(total.Success, "the suite printed no summary:\n" + text);
            Assert.True(int.Parse(total.Groups[1].Value, CultureInfo.InvariantCulture) > 0 && total.Groups[2].Value == "0", total.Value);
        }
        finally
        {
            results.Delete(recursive: true);
        }
    }

    private static string Failures(string text) =>
        string.Join('\n', text.Split('\n').Where(l => l.Contains("FAIL", StringComparison.OrdinalIgnoreCase) || l.Contains('✗')).Take(60));

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "McpPlatform.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("McpPlatform.sln not found above the test binaries.");
    }

    private static string NodeFolder() => Path.Combine(RepoRoot(), "tests", "Gateway.Edge.Tests", "node");

    /// <summary>Node 22 as eng/lib/prerequisites.sh installs it (.tools/node22), installed the same way when absent.</summary>
    private static async Task<string> Node22Async()
    {
        if (Environment.GetEnvironmentVariable("MCPPLATFORM_NODE22") is { Length: > 0 } configured && File.Exists(configured))
        {
            return configured;
        }

        var tools = Path.Combine(RepoRoot(), ".tools", "node22");
        var node = Path.Combine(tools, "node_modules", "node", "bin", "node");
        if (!File.Exists(node))
        {
            Directory.CreateDirectory(tools);
            var (exit, text) = await RunAsync("npm", ["install", "--silent", "--no-save", "--prefix", tools, "node@22"], TimeSpan.FromMinutes(3), tools);
            Assert.True(exit == 0, "npm install node@22 failed: " + text);
        }

        return node;
    }

    private static async Task<(int Exit, string Output)> RunAsync(string file, string[] args, TimeSpan timeout, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory ?? NodeFolder() };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        return (process.ExitCode, await stdout + await stderr);
    }
}
