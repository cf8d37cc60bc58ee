using McpPlatform.Worker.Host.Pool;
using McpPlatform.Worker.Host.Tests.Infrastructure;

namespace McpPlatform.Worker.Host.Tests.Pool;

public sealed class ConformanceThroughPoolTests
{
    [Fact(Timeout = 60_000)]
    public async Task SharedConformanceServer_ServesFixturesAndRoutesLogsAndProgressToTheCall()
    {
        var server = TestPool.Echo("conformance", maxSlots: 1);
        server.Args = [TestPool.SampleDll("ConformanceServer")];
        await using var pool = new TestPool(server);
        var logs = new CollectingSink();
        var progress = new CollectingSink();

        using (var text = await pool.CallAsync("conformance", "t", TestPool.Call(1, "test_simple_text")))
        {
            Assert.Equal("This is a simple text response for testing.", TestPool.Text(text));
        }

        using (var logged = await pool.CallAsync("conformance", "t", TestPool.Call(2, "test_tool_with_logging"), logs))
        {
            Assert.Equal(RpcFailure.None, logged.Failure);
        }

        using (var progressed = await pool.CallAsync("conformance", "t", TestPool.Call(3, "test_tool_with_progress", progressToken: "p-3"), progress))
        {
            Assert.Equal(RpcFailure.None, progressed.Failure);
        }

        using (var sampling = await pool.CallAsync("conformance", "t", TestPool.Call(4, "test_sampling", new { prompt = "hi" })))
        {
            Assert.Contains("did not declare the sampling capability", TestPool.Raw(sampling), StringComparison.Ordinal);
        }

        Assert.Equal(3, logs.Messages.Count(m => m.Contains("notifications/message", StringComparison.Ordinal)));
        Assert.Equal(3, progress.Messages.Count);
        Assert.All(progress.Messages, m => Assert.Contains("\"progressToken\":\"p-3\"", m, StringComparison.Ordinal));
        pool.SeenPids.Add(pool.Pool.Snapshot("conformance")[0].ProcessId);
    }
}
