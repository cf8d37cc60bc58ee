using McpPlatform.Contracts.Dispatch.V1;
using McpPlatform.Dispatcher.Grpc.Tests.Infrastructure;

namespace McpPlatform.Dispatcher.Grpc.Tests;

public sealed class RelayTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task TwoHundredConcurrentCalls_OnFourSlots_AllCompleteOnceAndNoSlotRunsTwoAtOnce(bool useRedis)
    {
        await using var redis = useRedis ? await RedisServer.StartAsync() : null;
        await using var dispatcher = await DispatcherUnderTest.StartAsync(redis?.ConnectionString);
        await using var worker = await TestWorker.StartAsync(dispatcher.Address, "worker-1", slots: 4);

        var calls = Enumerable.Range(1, 200).Select(id => Calls.RelayAsync(dispatcher.Dispatch, Calls.Tool(Calls.Route(tenant: "tenant-" + (id % 5)), id, "sleep", ms: 2))).ToList();
        var results = await Task.WhenAll(calls);

        Assert.All(results.Select((events, index) => (events, id: index + 1)), call =>
        {
            var result = Assert.Single(call.events).Result;
            Assert.NotNull(result);
            Assert.Contains($"\"id\":{call.id},", result.Message.Text(), StringComparison.Ordinal);
            Assert.Contains("worker-1", result.Message.Text(), StringComparison.Ordinal);
            Assert.Equal("worker-1", result.WorkerId);
        });
        Assert.Equal(200, worker.Service.Executions.Count);
        Assert.All(worker.Service.Executions.Values, count => Assert.Equal(1, count));
        Assert.Equal(1, worker.Service.MaxInFlightPerSlot);
        Assert.InRange(worker.Service.MaxInFlight, 1, 4);
    }

    [Fact]
    public async Task TwoDispatchersSharingRedis_NeverDoubleBookASlot()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var one = await DispatcherUnderTest.StartAsync(redis.ConnectionString);
        await using var two = await DispatcherUnderTest.StartAsync(redis.ConnectionString);
        await using var worker = await TestWorker.StartAsync(one.Address, "worker-1", slots: 2);
        await DispatcherUnderTest.EventuallyAsync(() => two.Pool.Find("worker-1") is not null, "the second dispatcher sees the worker through Redis");

        var calls = Enumerable.Range(1, 60).Select(id => Calls.RelayAsync((id % 2 == 0 ? one : two).Dispatch, Calls.Tool(Calls.Route(), id, "sleep", ms: 5))).ToList();
        var results = await Task.WhenAll(calls);

        Assert.All(results, events => Assert.NotNull(Assert.Single(events).Result));
        Assert.Equal(60, worker.Service.Executions.Count);
        Assert.Equal(1, worker.Service.MaxInFlightPerSlot);
        Assert.InRange(worker.Service.MaxInFlight, 1, 2);
    }

    [Fact]
    public async Task WorkerKilledMidCall_FailsOnlyThatCall_WithAJsonRpcErrorNamingTheWorker()
    {
        await using var dispatcher = await DispatcherUnderTest.StartAsync();
        await using var first = await TestWorker.StartAsync(dispatcher.Address, "worker-1", slots: 1);
        await using var second = await TestWorker.StartAsync(dispatcher.Address, "worker-2", slots: 1);
        var workers = new[] { first, second };

        var doomedCall = Calls.RelayAsync(dispatcher.Dispatch, Calls.Tool(Calls.Route(), 1, "gate"));
        await DispatcherUnderTest.EventuallyAsync(() => workers.Sum(w => w.Service.Started.Count) == 1, "the first call runs");
        var doomed = workers.Single(w => !w.Service.Started.IsEmpty);
        var survivor = workers.Single(w => w != doomed);
        var survivingCall = Calls.RelayAsync(dispatcher.Dispatch, Calls.Tool(Calls.Route(), 2, "gate"));
        await DispatcherUnderTest.EventuallyAsync(() => survivor.Service.Started.Count == 1, "the second call runs on the other worker");

        await doomed.KillAsync();
        var failed = Assert.Single(await doomedCall).Result;
        survivor.Service.Gate.Release();
        var survived = Assert.Single(await survivingCall).Result;

        Assert.Contains("\"id\":1,", failed.Message.Text(), StringComparison.Ordinal);
        Assert.Contains("\"error\"", failed.Message.Text(), StringComparison.Ordinal);
        Assert.True(failed.Message.Text().Contains($"Worker '{doomed.Id}' was lost while running the call", StringComparison.Ordinal), failed.Message.Text());
        Assert.Contains("\"reason\":\"worker_lost\"", failed.Message.Text(), StringComparison.Ordinal);
        Assert.Contains("\"result\"", survived.Message.Text(), StringComparison.Ordinal);
        Assert.Equal(survivor.Id, survived.WorkerId);
    }

    [Fact]
    public async Task SlotFailureReportedByTheWorker_BecomesAJsonRpcErrorWithTheReason()
    {
        await using var dispatcher = await DispatcherUnderTest.StartAsync();
        await using var worker = await TestWorker.StartAsync(dispatcher.Address, "worker-1", slots: 1);

        var result = Assert.Single(await Calls.RelayAsync(dispatcher.Dispatch, Calls.Tool(Calls.Route(), 7, "fail"))).Result;

        Assert.Contains("\"id\":7,", result.Message.Text(), StringComparison.Ordinal);
        Assert.Contains("ProcessExited", result.Message.Text(), StringComparison.Ordinal);
        Assert.Contains("The server process exited.", result.Message.Text(), StringComparison.Ordinal);
        Assert.Contains("\"code\":-32002,", result.Message.Text(), StringComparison.Ordinal);
        Assert.Contains("\"reason\":\"process_exited\"", result.Message.Text(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CallerDeadline_ReachesTheWorkerCall()
    {
        await using var dispatcher = await DispatcherUnderTest.StartAsync();
        await using var worker = await TestWorker.StartAsync(dispatcher.Address, "worker-1", slots: 1);
        var before = DateTime.UtcNow;

        await Calls.RelayAsync(dispatcher.Dispatch, Calls.Tool(Calls.Route(), 1, "echo"), timeout: TimeSpan.FromSeconds(3));

        // Each hop recomputes the deadline from the remaining time on arrival, so transit delays add a little.
        Assert.InRange(worker.Service.LastDeadline, before, before.AddSeconds(5));
    }

    [Fact]
    public async Task UnreachableWorker_IsSkipped_AndTheCallRunsOnAnother()
    {
        await using var dispatcher = await DispatcherUnderTest.StartAsync(settings: new Dictionary<string, string?> { ["Dispatcher:HeartbeatInterval"] = "00:00:05" });
        await using var dead = await TestWorker.StartAsync(dispatcher.Address, "worker-dead", slots: 1);
        await dead.KillAsync();
        await using var alive = await TestWorker.StartAsync(dispatcher.Address, "worker-alive", slots: 1);

        for (var id = 1; id <= 4; id++)
        {
            var result = Assert.Single(await Calls.RelayAsync(dispatcher.Dispatch, Calls.Tool(Calls.Route(), id, "echo"))).Result;
            Assert.Equal("worker-alive", result.WorkerId);
        }
    }
}
