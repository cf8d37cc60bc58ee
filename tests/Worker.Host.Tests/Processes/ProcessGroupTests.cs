using McpPlatform.Worker.Host.Pool;
using McpPlatform.Worker.Host.Tests.Infrastructure;

namespace McpPlatform.Worker.Host.Tests.Processes;

public sealed class ProcessGroupTests
{
    [Fact(Timeout = 60_000)]
    public async Task KilledSlot_TakesItsGrandchildrenWithIt()
    {
        var script = TestPool.Script("forks",
            """
            sleep 300 & echo $! > "$MCP_WORKSPACE/child.pid"
            read l; echo '{"jsonrpc":"2.0","id":1,"result":{"protocolVersion":"2025-06-18","capabilities":{},"serverInfo":{"name":"x","version":"1"}}}'
            read l; read l; sleep 300
            """);
        script.CallTimeout = TimeSpan.FromSeconds(1);
        int child;
        int leader;
        await using (var pool = new TestPool(script))
        {
            using var response = await pool.CallAsync("forks", "t", TestPool.Call(1, "hang"));
            Assert.Equal(RpcFailure.Timeout, response.Failure);
            var pidFile = Directory.GetFiles(pool.Options.WorkspaceRoot, "child.pid", SearchOption.AllDirectories).Single();
            child = int.Parse(File.ReadAllText(pidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture);
            leader = pool.Pool.Snapshot("forks").Single().ProcessId;
            pool.SeenPids.Add(leader);
        }

        Assert.True(TestPool.IsGone(leader));
        Assert.False(TestPool.IsRunning(child), $"grandchild {child} survived its process group");
    }

    [Fact(Timeout = 60_000)]
    public async Task MemoryCeiling_RecyclesTheProcess()
    {
        var echo = TestPool.Echo(maxSlots: 1);
        echo.MemoryCeilingMb = 150;
        await using var pool = new TestPool(echo);
        var before = await pool.WhoAmIAsync("echo");

        using (var response = await pool.CallAsync("echo", "t", TestPool.Call(1, "allocate", new { mb = 200 })))
        {
            Assert.Equal(RpcFailure.None, response.Failure);
        }

        // The watchdog reads RSS about once a second; acquire until a different process answers.
        var after = before;
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (after == before && DateTime.UtcNow < deadline)
        {
            after = await pool.WhoAmIAsync("echo");
        }

        Assert.NotEqual(before, after);
    }
}
