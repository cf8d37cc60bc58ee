using System.Collections.Concurrent;
using System.Diagnostics;
using McpPlatform.Worker.Host.Pool;
using McpPlatform.Worker.Host.Tests.Infrastructure;

namespace McpPlatform.Worker.Host.Tests.Pool;

public sealed class SharedPoolTests
{
    [Fact(Timeout = 120_000)]
    public async Task TwoHundredConcurrentCallsOnFourSlots_AllCompleteAndNoneOverlaps()
    {
        await using var pool = new TestPool(TestPool.Echo(maxSlots: 4));
        var running = new ConcurrentDictionary<object, int>();
        var maxOnOneSlot = 0;
        var pids = new ConcurrentBag<int>();

        async Task CallAsync(int i)
        {
            await using var lease = await pool.Pool.AcquireAsync("echo", "t", null, CancellationToken.None);
            var now = running.AddOrUpdate(lease.Slot, 1, (_, n) => n + 1);
            InterlockedMax(ref maxOnOneSlot, now);
            object id = i % 2 == 0 ? i : $"call-{i}";
            using var response = await lease.SendAsync(TestPool.Call(id, "echo", new { text = $"hello {i}" }), null, CancellationToken.None);
            running.AddOrUpdate(lease.Slot, 0, (_, n) => n - 1);
            Assert.Equal($"hello {i}", TestPool.Text(response));
            Assert.Contains(i % 2 == 0 ? $"\"id\":{i}," : $"\"id\":\"call-{i}\",", TestPool.Raw(response), StringComparison.Ordinal);
            pids.Add(lease.ProcessId);
        }

        await Task.WhenAll(Enumerable.Range(0, 200).Select(CallAsync));

        Assert.Equal(1, maxOnOneSlot);
        Assert.InRange(pids.Distinct().Count(), 1, 4);
        Assert.True(pool.Pool.Snapshot("echo").Count <= 4);
        foreach (var pid in pids)
        {
            pool.SeenPids.Add(pid);
        }
    }

    [Fact(Timeout = 120_000)]
    public async Task ProcessKilledMidCall_FailsOnlyThatCallAndSlotComesBack()
    {
        await using var pool = new TestPool(TestPool.Echo(maxSlots: 2));
        await using var victim = await pool.Pool.AcquireAsync("echo", "t", null, CancellationToken.None);
        using (var first = await victim.SendAsync(TestPool.Call(1, "whoami"), null, CancellationToken.None))
        {
            pool.SeenPids.Add(TestPool.Who(first).GetProperty("pid").GetInt32());
        }

        var pid = victim.ProcessId;
        // The process reports progress once it has the request: only then is the call in flight (a request the
        // process never received is sent to its successor instead, see the test below).
        var started = new CollectingSink();
        var hung = victim.SendAsync(TestPool.Call("doomed", "progress", new { steps = 2, delayMs = 60_000 }, "p"), started, CancellationToken.None).AsTask();
        var other = pool.CallAsync("echo", "t", TestPool.Call(2, "sleep", new { ms = 300 }));
        Assert.True(await Eventually.TrueAsync(() => started.Messages.Count > 0, TimeSpan.FromSeconds(30)), "the process never reported progress");
        Process.GetProcessById(pid).Kill();

        using var failed = await hung;
        Assert.Equal(RpcFailure.ProcessExited, failed.Failure);
        Assert.Contains("\"id\":\"doomed\"", TestPool.Raw(failed), StringComparison.Ordinal);
        Assert.Contains("-32002", TestPool.Raw(failed), StringComparison.Ordinal);
        using (var ok = await other)
        {
            Assert.Equal("slept 300 ms", TestPool.Text(ok));
        }

        Assert.True(TestPool.IsGone(pid));
        using var again = await victim.SendAsync(TestPool.Call(3, "whoami"), null, CancellationToken.None);
        var newPid = TestPool.Who(again).GetProperty("pid").GetInt32();
        pool.SeenPids.Add(newPid);
        Assert.NotEqual(pid, newPid);
    }

    [Fact(Timeout = 60_000)]
    public async Task EveryProcessKilled_ACallRightAfterTheInFlightFailure_WaitsForARespawnInsteadOfFailing()
    {
        // What Gateway.Bench's crash row does: every process of the server killed at once while a call is in flight;
        // the caller's next call comes the moment the failure arrives, while the other slots' processes are dead but
        // may not have been reaped yet. It must not be written to one of them.
        await using var pool = new TestPool(TestPool.Echo(maxSlots: 4));
        var leases = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => pool.Pool.AcquireAsync("echo", "t", null, CancellationToken.None).AsTask()));
        var pids = new List<int>();
        for (var i = 0; i < leases.Length; i++)
        {
            using var who = await leases[i].SendAsync(TestPool.Call(i, "whoami"), null, CancellationToken.None);
            pids.Add(TestPool.Who(who).GetProperty("pid").GetInt32());
        }

        Assert.Equal(4, pids.Distinct().Count());
        pool.SeenPids.UnionWith(pids);
        var started = new CollectingSink();
        var inFlight = leases[0].SendAsync(TestPool.Call("doomed", "progress", new { steps = 2, delayMs = 60_000 }, "p"), started, CancellationToken.None).AsTask();
        foreach (var lease in leases.Skip(1))
        {
            await lease.DisposeAsync();
        }

        Assert.True(await Eventually.TrueAsync(() => started.Messages.Count > 0, TimeSpan.FromSeconds(30)), "the process never reported progress");

        foreach (var pid in pids)
        {
            Process.GetProcessById(pid).Kill();
        }

        using (var failed = await inFlight)
        {
            Assert.Equal(RpcFailure.ProcessExited, failed.Failure);
        }

        using var next = await pool.CallAsync("echo", "t", TestPool.Call("next", "whoami"));
        Assert.Equal(RpcFailure.None, next.Failure);
        Assert.DoesNotContain(TestPool.Who(next).GetProperty("pid").GetInt32(), pids);
        await leases[0].DisposeAsync();
    }

    [Fact(Timeout = 60_000)]
    public async Task CallDuringCrashBackoff_WaitsForTheRespawnedProcess()
    {
        var echo = TestPool.Echo(maxSlots: 1);
        echo.RestartBackoff = TimeSpan.FromSeconds(1);
        await using var pool = new TestPool(echo);
        await using var lease = await pool.Pool.AcquireAsync("echo", "t", null, CancellationToken.None);
        int first;
        using (var who = await lease.SendAsync(TestPool.Call(1, "whoami"), null, CancellationToken.None))
        {
            first = TestPool.Who(who).GetProperty("pid").GetInt32();
            pool.SeenPids.Add(first);
        }

        using (var crashed = await lease.SendAsync(TestPool.Call(2, "crash"), null, CancellationToken.None))
        {
            Assert.Equal(RpcFailure.ProcessExited, crashed.Failure);
        }

        using var after = await lease.SendAsync(TestPool.Call(3, "whoami"), null, CancellationToken.None);
        var pid = TestPool.Who(after).GetProperty("pid").GetInt32();
        pool.SeenPids.Add(pid);
        Assert.NotEqual(first, pid);
    }

    [Fact(Timeout = 60_000)]
    public async Task HungCall_IsKilledAtItsTimeoutAndTheSlotRestarts()
    {
        var echo = TestPool.Echo(maxSlots: 1);
        echo.CallTimeout = TimeSpan.FromSeconds(1);
        await using var pool = new TestPool(echo);
        var pid = await pool.WhoAmIAsync("echo");

        var watch = Stopwatch.StartNew();
        using var response = await pool.CallAsync("echo", "t", TestPool.Call("h", "sleep", new { ms = 60_000 }));
        watch.Stop();

        Assert.Equal(RpcFailure.Timeout, response.Failure);
        Assert.Contains("call timeout", TestPool.Raw(response), StringComparison.Ordinal);
        Assert.InRange(watch.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(10));
        Assert.True(TestPool.IsGone(pid));
        Assert.NotEqual(pid, await pool.WhoAmIAsync("echo"));
    }

    [Fact(Timeout = 60_000)]
    public async Task IdsAndProgressTokens_AreRemappedAndRestored()
    {
        var echo = TestPool.Echo(maxSlots: 1);
        echo.MaxConcurrentCallsPerSlot = 4;
        await using var pool = new TestPool(echo);
        var stringSink = new CollectingSink();
        var numberSink = new CollectingSink();

        var a = pool.CallAsync("echo", "t", TestPool.Call("42", "progress", new { steps = 3, delayMs = 10 }, progressToken: "tok-1"), stringSink);
        var b = pool.CallAsync("echo", "t", TestPool.Call(42, "progress", new { steps = 2, delayMs = 10 }, progressToken: 7), numberSink);
        using var ra = await a;
        using var rb = await b;

        Assert.Contains("\"id\":\"42\"", TestPool.Raw(ra), StringComparison.Ordinal);
        Assert.Contains("\"id\":42,", TestPool.Raw(rb), StringComparison.Ordinal);
        Assert.Equal(3, stringSink.Messages.Count);
        Assert.All(stringSink.Messages, m => Assert.Contains("\"progressToken\":\"tok-1\"", m, StringComparison.Ordinal));
        Assert.Equal(2, numberSink.Messages.Count);
        Assert.All(numberSink.Messages, m => Assert.Contains("\"progressToken\":7,", m, StringComparison.Ordinal));
        pool.SeenPids.Add(await pool.WhoAmIAsync("echo"));
    }

    [Fact(Timeout = 60_000)]
    public async Task ClientInitialize_IsAnsweredFromTheHostHandshakeWithTheClientsId()
    {
        await using var pool = new TestPool(TestPool.Echo(maxSlots: 1));
        var request = """{"jsonrpc":"2.0","id":"init-1","method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"c","version":"1"}}}"""u8.ToArray();

        using var response = await pool.CallAsync("echo", "t", request);

        Assert.StartsWith("{\"jsonrpc\":\"2.0\",\"id\":\"init-1\",\"result\":{", TestPool.Raw(response), StringComparison.Ordinal);
        Assert.Contains("mcp-platform-echo", TestPool.Raw(response), StringComparison.Ordinal);
        pool.SeenPids.Add(await pool.WhoAmIAsync("echo"));
    }

    [Fact(Timeout = 60_000)]
    public async Task ListChanged_IsFannedOutToSubscribers()
    {
        await using var pool = new TestPool(TestPool.Echo(maxSlots: 1));
        var sink = new CollectingSink();
        using var subscription = pool.Pool.SubscribeNotifications("echo", null, sink);

        using var response = await pool.CallAsync("echo", "t", TestPool.Call(1, "touch_tools"));

        Assert.Equal("sent", TestPool.Text(response));
        Assert.Contains(sink.Messages, m => m.Contains("notifications/tools/list_changed", StringComparison.Ordinal));
        pool.SeenPids.Add(await pool.WhoAmIAsync("echo"));
    }

    [Fact(Timeout = 60_000)]
    public async Task RecycleAfterCalls_ReplacesTheProcess()
    {
        var echo = TestPool.Echo(maxSlots: 1);
        echo.RecycleAfterCalls = 2;
        await using var pool = new TestPool(echo);

        var first = await pool.WhoAmIAsync("echo");
        Assert.Equal(first, await pool.WhoAmIAsync("echo"));
        var third = await pool.WhoAmIAsync("echo");

        Assert.NotEqual(first, third);
        Assert.True(TestPool.IsGone(first));
    }

    [Fact(Timeout = 60_000)]
    public async Task Drain_FinishesEveryAcceptedCallThenStopsProcesses()
    {
        await using var pool = new TestPool(TestPool.Echo(maxSlots: 2));
        var pid = await pool.WhoAmIAsync("echo");
        var leases = new List<SlotLease>
        {
            await pool.Pool.AcquireAsync("echo", "t", null, CancellationToken.None),
            await pool.Pool.AcquireAsync("echo", "t", null, CancellationToken.None),
        };
        var calls = leases.Select((l, i) => SendAndReleaseAsync(l, i)).ToList();

        await pool.Pool.DrainAsync(TimeSpan.FromSeconds(20), CancellationToken.None);

        foreach (var text in await Task.WhenAll(calls))
        {
            Assert.StartsWith("slept 400 ms", text, StringComparison.Ordinal);
        }

        var refused = await Assert.ThrowsAsync<WorkerPoolException>(() => pool.Pool.AcquireAsync("echo", "t", null, CancellationToken.None).AsTask());
        Assert.Equal(PoolError.Draining, refused.Error);
        Assert.True(TestPool.IsGone(pid));

        static async Task<string> SendAndReleaseAsync(SlotLease lease, int i)
        {
            await using (lease)
            {
                using var response = await lease.SendAsync(TestPool.Call(i, "sleep", new { ms = 400 }), null, CancellationToken.None);
                return TestPool.Text(response);
            }
        }
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while (value > (current = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
