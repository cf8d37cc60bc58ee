using Grpc.Core;
using McpPlatform.Contracts.Dispatch.V1;
using McpPlatform.Dispatcher.Grpc.Tests.Infrastructure;
using McpPlatform.StandIns.Grpc.Multiplexing;

namespace McpPlatform.Dispatcher.Grpc.Tests;

/// <summary>
/// The gateway's hop as the gateway makes it (Dispatch.RelayMux through <see cref="MultiplexedClient{TRequestFrame, TEventFrame, TRequest, TEvent}"/>)
/// and the worker hop both ways (ExecuteMux by default, per-call Execute with Dispatcher:Worker:Multiplex off).
/// </summary>
public sealed class RelayMuxTests
{
    [Fact]
    public async Task ManyCallsOnOneStream_EachGetsItsRelatedMessagesThenItsResult()
    {
        await using var dispatcher = await DispatcherUnderTest.StartAsync();
        await using var worker = await TestWorker.StartAsync(dispatcher.Address, "worker-1", slots: 4);
        using var mux = Mux(dispatcher);

        var results = await Task.WhenAll(Enumerable.Range(1, 120).Select(async id =>
        {
            using var call = mux.Call(Calls.Tool(Calls.Route(tenant: "tenant-" + (id % 3)), id, id % 4 == 0 ? "change" : "echo"), DateTime.UtcNow.AddSeconds(30));
            return (id, events: await call.ResponseStream.ReadAllAsync().ToListAsync());
        }));

        foreach (var (id, events) in results)
        {
            Assert.Contains($"\"id\":{id},", events[^1].Result.Message.Text(), StringComparison.Ordinal);
            Assert.Equal(id % 4 == 0 ? [RelayEvent.EventOneofCase.Related, RelayEvent.EventOneofCase.Result] : [RelayEvent.EventOneofCase.Result], events.Select(e => e.EventCase));
        }

        Assert.Equal(120, worker.Service.Executions.Count);
        Assert.InRange(worker.Service.MuxStreams, 1, 2);
    }

    [Fact]
    public async Task UnknownServerAndBusy_EndOnlyTheirOwnCalls()
    {
        await using var dispatcher = await DispatcherUnderTest.StartAsync();
        await using var worker = await TestWorker.StartAsync(dispatcher.Address, "worker-1", slots: 4);
        using var mux = Mux(dispatcher);
        using var holding = mux.Call(Calls.Tool(Calls.Route(planMax: 1, tenant: "tenant-busy"), 1, "gate"), DateTime.UtcNow.AddSeconds(30));
        var held = holding.ResponseStream.ReadAllAsync().ToListAsync().AsTask();
        await DispatcherUnderTest.EventuallyAsync(() => !worker.Service.Started.IsEmpty, "the gated call runs on the worker");

        using var unknown = mux.Call(Calls.Tool(Calls.Route(server: "nope"), 2, "echo"), DateTime.UtcNow.AddSeconds(30));
        using var busy = mux.Call(Calls.Tool(Calls.Route(planMax: 1, tenant: "tenant-busy"), 3, "echo"), DateTime.UtcNow.AddSeconds(30));
        var notFound = await Assert.ThrowsAsync<RpcException>(() => unknown.ResponseStream.ReadAllAsync().ToListAsync().AsTask());
        var busyEvents = await busy.ResponseStream.ReadAllAsync().ToListAsync();
        worker.Service.Gate.Release();

        Assert.Equal(StatusCode.NotFound, notFound.StatusCode);
        Assert.Equal(McpPlatform.Contracts.Common.V1.Busy.Types.Reason.PlanConcurrency, Assert.Single(busyEvents).Busy.Reason);
        Assert.Contains("\"id\":1,", Assert.Single(await held).Result.Message.Text(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CancelledCall_CancelsTheWorkersCall()
    {
        await using var dispatcher = await DispatcherUnderTest.StartAsync();
        await using var worker = await TestWorker.StartAsync(dispatcher.Address, "worker-1", slots: 1);
        using var mux = Mux(dispatcher);
        using var cts = new CancellationTokenSource();
        using var call = mux.Call(Calls.Tool(Calls.Route(), 1, "gate"), DateTime.UtcNow.AddSeconds(30), cts.Token);
        var reading = call.ResponseStream.MoveNext(CancellationToken.None);
        await DispatcherUnderTest.EventuallyAsync(() => !worker.Service.Started.IsEmpty, "the gated call runs on the worker");

        cts.Cancel();

        Assert.Equal(StatusCode.Cancelled, (await Assert.ThrowsAsync<RpcException>(() => reading)).StatusCode);
        await worker.Service.GateCancelled.Task.WaitAsync(TimeSpan.FromSeconds(10));
        using var next = mux.Call(Calls.Tool(Calls.Route(), 2, "echo"), DateTime.UtcNow.AddSeconds(30));
        Assert.Equal("worker-1", Assert.Single(await next.ResponseStream.ReadAllAsync().ToListAsync()).Result.WorkerId);
    }

    [Fact]
    public async Task Deadline_TravelsThroughBothHops()
    {
        await using var dispatcher = await DispatcherUnderTest.StartAsync();
        await using var worker = await TestWorker.StartAsync(dispatcher.Address, "worker-1", slots: 1);
        using var mux = Mux(dispatcher);
        var before = DateTime.UtcNow;

        using var call = mux.Call(Calls.Tool(Calls.Route(), 1, "echo"), before.AddSeconds(3));
        await call.ResponseStream.ReadAllAsync().ToListAsync();

        // Each hop recomputes the deadline from the remaining time on arrival, so transit delays add a little.
        Assert.InRange(worker.Service.LastDeadline, before, before.AddSeconds(5));
        Assert.Equal(1, worker.Service.MuxStreams);
    }

    [Fact]
    public async Task WorkerMultiplexOff_EachCallIsItsOwnExecuteRpc()
    {
        await using var dispatcher = await DispatcherUnderTest.StartAsync(settings: new Dictionary<string, string?> { ["Dispatcher:Worker:Multiplex"] = "false" });
        await using var worker = await TestWorker.StartAsync(dispatcher.Address, "worker-1", slots: 2);

        var results = await Task.WhenAll(Enumerable.Range(1, 10).Select(id => Calls.RelayAsync(dispatcher.Dispatch, Calls.Tool(Calls.Route(), id, "echo"))));

        Assert.All(results, events => Assert.Equal("worker-1", Assert.Single(events).Result.WorkerId));
        Assert.Equal(0, worker.Service.MuxStreams);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("65")]
    public async Task StreamsPerWorkerOutOfRange_StopsTheStart_NamingTheSetting(string streams)
    {
        var ex = await Assert.ThrowsAnyAsync<Exception>(() => DispatcherUnderTest.StartAsync(settings: new Dictionary<string, string?> { ["Dispatcher:Worker:StreamsPerWorker"] = streams }));

        Assert.Contains("Dispatcher:Worker:StreamsPerWorker", ex.ToString(), StringComparison.Ordinal);
    }

    private static MultiplexedClient<RelayMuxRequest, RelayMuxEvent, RelayRequest, RelayEvent> Mux(DispatcherUnderTest dispatcher) =>
        new(o => dispatcher.Dispatch.RelayMux(o), new MultiplexedClientOptions { StreamsPerTarget = 1, CallName = "mcpplatform.dispatch.v1.Dispatch/Relay" });
}
