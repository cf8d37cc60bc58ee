using Grpc.Net.Client;
using McpPlatform.Contracts.Dispatch.V1;
using McpPlatform.TestSupport;
using McpPlatform.Worker.Host.Tests.Infrastructure;
using Xunit.Abstractions;

namespace McpPlatform.Worker.Host.Tests.Grpc;

/// <summary>
/// Admission, drain and registration across the real processes: gRPC client → Dispatcher.Grpc → Worker.Host → the
/// echo sample over stdio. Ordering is measured by completion order, never by wall-clock time.
/// </summary>
public sealed class DispatcherEndToEndTests(ITestOutputHelper output)
{
    [Fact(Timeout = 150_000)]
    public async Task Fairness_TenantWithManyQueuedCalls_DelaysAnotherTenantsCallByAtMostOneSlotTurn()
    {
        const int queued = 12;
        var pids = new List<int>();
        await using var dispatcher = await Services.DispatcherAsync(output, ("Dispatcher__QueueTimeout", "00:02:00"));
        // One slot taking one call at a time (the default catalog lets echo take 16), so every other call queues.
        await using (var worker = await Services.WorkerAsync(output, "worker-fair", dispatcher.Grpc("dispatcher"),
            ("Worker__Servers__echo__MaxSlots", "1"), ("Worker__Servers__echo__MaxConcurrentCallsPerSlot", "1")))
        {
            using var channel = GrpcChannel.ForAddress(dispatcher.Grpc("dispatcher"));
            var dispatch = new Dispatch.DispatchClient(channel);
            using var metrics = dispatcher.Http("dispatcher");
            pids.Add(GrpcCalls.Pid((await GrpcCalls.RelayWhenRegisteredAsync(dispatch, GrpcCalls.Relay("tenant-big", 0, "whoami"))).Message));
            var completed = 0;
            async Task<int> CompleteAsync(string tenant, int id, int ms)
            {
                var result = Assert.Single(await GrpcCalls.RelayAsync(dispatch, GrpcCalls.Relay(tenant, id, "sleep", new { ms }), timeoutSeconds: 120)).Result;
                Assert.StartsWith("slept", GrpcCalls.Text(result.Message), StringComparison.Ordinal);
                return Interlocked.Increment(ref completed);
            }

            // The first call holds the only slot long enough for the others to queue behind it even on a loaded
            // machine (arrival order of concurrent calls is not ordering we control, so it starts alone).
            using var workerMetrics = worker.Http("worker-host");
            var holder = CompleteAsync("tenant-big", 1, 5000);
            await Metrics.WaitForAsync(workerMetrics, "mcp_worker_slots", "state=\"busy\"", 1, "tenant-big's first call reached the slot");
            var big = Enumerable.Range(2, queued - 1).Select(id => CompleteAsync("tenant-big", id, 300)).Prepend(holder).ToArray();
            using (var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(50)))
            {
                while (await Metrics.SumAsync(metrics, "mcpplatform_dispatcher_queue_depth", "echo") < queued - 1)
                {
                    if (big.FirstOrDefault(t => t.IsCompleted) is { } done)
                    {
                        await done;
                        Assert.Fail($"a call of tenant-big completed before the other {queued - 1} had queued behind the first ({Volatile.Read(ref completed)} completed).");
                    }

                    await timer.WaitForNextTickAsync();
                }
            }

            var completedBefore = Volatile.Read(ref completed);
            var small = await CompleteAsync("tenant-small", 100, 0);
            await Task.WhenAll(big);

            // The call running when tenant-small arrived finishes first; then at most one more of tenant-big's turns.
            Assert.True(small - completedBefore <= 3, $"tenant-small finished {small - completedBefore}th after it queued (completed before: {completedBefore}).");
            Assert.True(queued - small >= 6, $"tenant-big's calls should mostly finish after tenant-small's (it finished {small}th of {queued + 1}).");
        }

        Assert.Empty(ProcessTable.Survivors(pids));
    }

    [Fact(Timeout = 150_000)]
    public async Task DrainOnSigterm_CallsTheWorkerAccepted_AllCompleteThroughTheDispatcher()
    {
        const int calls = 4;
        const string Calls = "4";
        await using var dispatcher = await Services.DispatcherAsync(output);
        var worker = await Services.WorkerAsync(output, "worker-sigterm", dispatcher.Grpc("dispatcher"),
            ("Worker__Servers__echo__MaxSlots", Calls), ("Worker__Servers__echo__MinSlots", Calls), ("Worker__DrainGracePeriod", "00:00:30"));
        IReadOnlyList<int> servers;
        await using (worker)
        {
            using var channel = GrpcChannel.ForAddress(dispatcher.Grpc("dispatcher"));
            var dispatch = new Dispatch.DispatchClient(channel);
            using var http = worker.Http("worker-host");
            await GrpcCalls.RelayWhenRegisteredAsync(dispatch, GrpcCalls.Relay("tenant-a", 0, "echo", new { text = "warm" }));
            await Metrics.WaitForAsync(http, "mcp_worker_slots", "state=\"idle\"", calls, "every slot is warm", seconds: 60);

            var running = Enumerable.Range(1, calls).Select(id => GrpcCalls.RelayAsync(dispatch, GrpcCalls.Relay("tenant-a", id, "sleep", new { ms = 2000 }))).ToArray();
            await Metrics.WaitForAsync(http, "mcp_worker_slots", "state=\"busy\"", calls, "every call reached a slot");
            var host = worker.Pid("worker-host");
            servers = ServerProcesses.Children(host, "EchoServer.dll");
            GrpcCalls.Terminate(host);
            var answers = await Task.WhenAll(running);

            foreach (var answer in answers)
            {
                Assert.Equal("slept 2000 ms", GrpcCalls.Text(Assert.Single(answer).Result.Message));
            }

            Assert.True(await Eventually.TrueAsync(() => TestPool.IsGone(host) || !TestPool.IsRunning(host), TimeSpan.FromSeconds(60)), "the worker did not exit after its drain");
        }

        Assert.Equal(calls, servers.Count);
        Assert.Empty(ProcessTable.Survivors([.. servers]));
    }

    [Fact(Timeout = 150_000)]
    public async Task DispatcherRestarted_WorkerRegistersAgain_AndLeasesWork()
    {
        var port = DispatcherProcess.FreePort();
        (string, string)[] settings = [("Dispatcher__HeartbeatInterval", "00:00:01")];
        var first = await DispatcherProcess.StartAsync(port, settings);
        var pids = new List<int> { first.Pid };
        await using var worker = await Services.WorkerAsync(output, "worker-again", first.Address);
        RelayResult before, after;
        using (var channel = GrpcChannel.ForAddress(first.Address))
        {
            before = await GrpcCalls.RelayWhenRegisteredAsync(new Dispatch.DispatchClient(channel), GrpcCalls.Relay("tenant-a", 1, "echo", new { text = "before" }));
        }

        await first.DisposeAsync();
        await using (var second = await DispatcherProcess.StartAsync(port, settings))
        {
            pids.Add(second.Pid);
            using var channel = GrpcChannel.ForAddress(second.Address);
            after = await GrpcCalls.RelayWhenRegisteredAsync(new Dispatch.DispatchClient(channel), GrpcCalls.Relay("tenant-a", 2, "echo", new { text = "after" }), seconds: 60);
        }

        Assert.Equal("before", GrpcCalls.Text(before.Message));
        Assert.Equal("after", GrpcCalls.Text(after.Message));
        Assert.Equal("worker-again", after.WorkerId);
        Assert.Empty(ProcessTable.Survivors(pids));
    }
}
