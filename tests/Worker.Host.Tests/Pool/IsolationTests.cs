using System.Text;
using McpPlatform.Worker.Host.Catalog;
using McpPlatform.Worker.Host.Pool;
using McpPlatform.Worker.Host.Tests.Infrastructure;

namespace McpPlatform.Worker.Host.Tests.Pool;

public sealed class IsolationTests
{
    private static readonly byte[] Initialize =
        """{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{"elicitation":{}},"clientInfo":{"name":"c","version":"1"}}}"""u8.ToArray();

    private static readonly byte[] Initialized = """{"jsonrpc":"2.0","method":"notifications/initialized"}"""u8.ToArray();

    [Fact(Timeout = 120_000)]
    public async Task TenantMode_TwoTenantsNeverReachTheSameProcess()
    {
        await using var pool = new TestPool(TestPool.Echo(isolation: IsolationMode.Tenant, maxSlots: 2));
        var seen = new Dictionary<string, HashSet<int>> { ["acme"] = [], ["globex"] = [] };

        async Task CallAsync(string tenant)
        {
            using var response = await pool.CallAsync("echo", tenant, TestPool.Call(tenant, "whoami"));
            var who = TestPool.Who(response);
            Assert.Equal(tenant, who.GetProperty("tenant").GetString());
            Assert.EndsWith(Path.Combine("tenants", tenant, "echo"), who.GetProperty("cwd").GetString(), StringComparison.Ordinal);
            lock (seen)
            {
                seen[tenant].Add(who.GetProperty("pid").GetInt32());
            }
        }

        await Task.WhenAll(Enumerable.Range(0, 40).Select(i => CallAsync(i % 2 == 0 ? "acme" : "globex")));

        Assert.Empty(seen["acme"].Intersect(seen["globex"]));
        pool.SeenPids.UnionWith(seen["acme"]);
        pool.SeenPids.UnionWith(seen["globex"]);
    }

    [Fact(Timeout = 60_000)]
    public async Task TenantMode_FullPoolRetiresAnotherTenantsIdleProcess()
    {
        var echo = TestPool.Echo(isolation: IsolationMode.Tenant, maxSlots: 1);
        echo.TenantEnv["globex"] = new Dictionary<string, string> { ["GREETING"] = "hi {tenant}" };
        await using var pool = new TestPool(echo);

        var acme = await pool.WhoAmIAsync("echo", "acme");
        var globex = await pool.WhoAmIAsync("echo", "globex");

        Assert.NotEqual(acme, globex);
        Assert.Single(pool.Pool.Snapshot("echo"));
    }

    [Fact(Timeout = 60_000)]
    public async Task SessionMode_RelaysTheHandshakeAndIsReleasedOnSessionEnd()
    {
        await using var pool = new TestPool(TestPool.Echo(isolation: IsolationMode.Session, maxSlots: 2));
        var lease = await pool.Pool.AcquireAsync("echo", "acme", "session-1", CancellationToken.None);
        Assert.Same(lease, await pool.Pool.AcquireAsync("echo", "acme", "session-1", CancellationToken.None));

        using (var init = await lease.SendAsync(Initialize, null, CancellationToken.None))
        {
            Assert.Contains("\"id\":0,", TestPool.Raw(init), StringComparison.Ordinal);
            Assert.Contains("mcp-platform-echo", TestPool.Raw(init), StringComparison.Ordinal);
        }

        await lease.SendNotificationAsync(Initialized, CancellationToken.None);
        using var who = await lease.SendAsync(TestPool.Call("w", "whoami"), null, CancellationToken.None);
        var pid = TestPool.Who(who).GetProperty("pid").GetInt32();
        Assert.Contains(Path.Combine("tenants", "acme", "sessions"), TestPool.Who(who).GetProperty("cwd").GetString(), StringComparison.Ordinal);
        pool.SeenPids.Add(pid);

        await pool.Pool.EndSessionAsync("echo", "acme", "session-1", CancellationToken.None);

        Assert.True(TestPool.IsGone(pid));
        await lease.ServerMessages.Completion;
        using var after = await lease.SendAsync(TestPool.Call(2, "whoami"), null, CancellationToken.None);
        Assert.Equal(RpcFailure.Stopped, after.Failure);
        Assert.Empty(pool.Pool.Snapshot("echo"));
    }

    [Fact(Timeout = 60_000)]
    public async Task SessionMode_IdleSessionIsReleased()
    {
        var echo = TestPool.Echo(isolation: IsolationMode.Session, maxSlots: 1);
        echo.IdleTimeout = TimeSpan.FromSeconds(1);
        await using var pool = new TestPool(echo);
        var lease = await pool.Pool.AcquireAsync("echo", "acme", "idle-session", CancellationToken.None);
        using (var init = await lease.SendAsync(Initialize, null, CancellationToken.None))
        {
            Assert.Equal(RpcFailure.None, init.Failure);
        }

        var pid = lease.ProcessId;
        pool.SeenPids.Add(pid);

        await lease.ServerMessages.Completion.WaitAsync(TimeSpan.FromSeconds(30));

        var next = await pool.Pool.AcquireAsync("echo", "acme", "another-session", CancellationToken.None);
        Assert.NotSame(lease, next);
        await next.DisposeAsync();
    }

    [Fact(Timeout = 60_000)]
    public async Task SessionMode_CrashEndsTheSessionAndFreesTheSlot()
    {
        await using var pool = new TestPool(TestPool.Echo(isolation: IsolationMode.Session, maxSlots: 1));
        var lease = await pool.Pool.AcquireAsync("echo", "acme", "fragile", CancellationToken.None);
        using (await lease.SendAsync(Initialize, null, CancellationToken.None))
        {
        }

        pool.SeenPids.Add(lease.ProcessId);
        using var crashed = await lease.SendAsync(TestPool.Call(1, "crash"), null, CancellationToken.None);

        Assert.Equal(RpcFailure.ProcessExited, crashed.Failure);
        await lease.ServerMessages.Completion;
        await using var next = await pool.Pool.AcquireAsync("echo", "acme", "fresh", CancellationToken.None);
        using var init = await next.SendAsync(Initialize, null, CancellationToken.None);
        Assert.Equal(RpcFailure.None, init.Failure);
        pool.SeenPids.Add(next.ProcessId);
    }

    [Fact(Timeout = 60_000)]
    public async Task SessionMode_ServerToClientRequestsAndNotificationsFlowThrough()
    {
        var conformance = TestPool.Echo(isolation: IsolationMode.Session, maxSlots: 1);
        conformance.Name = "conformance";
        conformance.Args = [TestPool.SampleDll("ConformanceServer")];
        await using var pool = new TestPool(conformance);
        await using var lease = await pool.Pool.AcquireAsync("conformance", "acme", "s", CancellationToken.None);
        using (await lease.SendAsync(Initialize, null, CancellationToken.None))
        {
        }

        await lease.SendNotificationAsync(Initialized, CancellationToken.None);
        pool.SeenPids.Add(lease.ProcessId);
        var call = lease.SendAsync(TestPool.Call(5, "test_elicitation", new { message = "who are you?" }), null, CancellationToken.None).AsTask();

        using var request = await lease.ServerMessages.ReadAsync();
        var text = TestPool.Raw(request);
        Assert.Contains("elicitation/create", text, StringComparison.Ordinal);
        using var document = System.Text.Json.JsonDocument.Parse(request.Json);
        var id = document.RootElement.GetProperty("id").GetRawText();
        await lease.SendResponseAsync(Encoding.UTF8.GetBytes("{\"jsonrpc\":\"2.0\",\"id\":" + id + ""","result":{"action":"accept","content":{"username":"ada","email":"a@b.c"}}}"""), CancellationToken.None);

        using var response = await call;
        Assert.Contains("action=accept", TestPool.Text(response), StringComparison.Ordinal);
    }

    [Fact(Timeout = 60_000)]
    public async Task SharedMode_ServerToClientRequestGetsADocumentedError()
    {
        var script = TestPool.Script("asks",
            """
            read l; echo '{"jsonrpc":"2.0","id":1,"result":{"protocolVersion":"2025-06-18","capabilities":{},"serverInfo":{"name":"x","version":"1"}}}'
            read l; read l
            echo '{"jsonrpc":"2.0","id":"s1","method":"sampling/createMessage","params":{}}'
            read answer; printf '{"jsonrpc":"2.0","id":2,"result":{"content":[{"type":"text","text":%s}]}}\n' "$(printf '%s' "$answer" | sed 's/"/\\"/g; s/^/"/; s/$/"/')"
            sleep 60
            """);
        await using var pool = new TestPool(script);

        using var response = await pool.CallAsync("asks", "t", TestPool.Call(9, "anything"));

        var answer = TestPool.Text(response);
        Assert.Contains("\"id\":\"s1\"", answer, StringComparison.Ordinal);
        Assert.Contains("-32601", answer, StringComparison.Ordinal);
        Assert.Contains("isolation Session", answer, StringComparison.Ordinal);
        pool.SeenPids.Add(pool.Pool.Snapshot("asks")[0].ProcessId);
    }
}
