using Google.Protobuf;
using McpPlatform.Contracts.Common.V1;
using McpPlatform.Contracts.Dispatch.V1;
using McpPlatform.Dispatcher.Grpc.Tests.Infrastructure;

namespace McpPlatform.Dispatcher.Grpc.Tests;

public sealed class LeaseLifetimeTests
{
    [Fact]
    public async Task DeadDispatchersLease_LapsesInRedis_AndAnotherDispatcherGetsTheSlot()
    {
        await using var redis = await RedisServer.StartAsync();
        var doomed = await DispatcherUnderTest.StartAsync(redis.ConnectionString);
        await using var survivor = await DispatcherUnderTest.StartAsync(redis.ConnectionString);
        await using var worker = await TestWorker.StartAsync(survivor.Address, "worker-1", slots: 1);
        await DispatcherUnderTest.EventuallyAsync(() => doomed.Pool.Find("worker-1") is not null, "the first dispatcher sees the worker");

        var held = await doomed.Dispatch.AdmitAsync(new AdmitRequest { Route = Calls.Route(), Hold = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(TimeSpan.FromMilliseconds(500)) });
        await doomed.DisposeAsync();
        var admitted = await survivor.Dispatch.AdmitAsync(new AdmitRequest { Route = Calls.Route() });

        Assert.NotNull(held.Lease);
        Assert.NotNull(admitted.Lease);
        Assert.Equal(held.Lease.SlotId, admitted.Lease.SlotId);
    }

    [Fact]
    public async Task RelayedCallLongerThanTheLeaseTtl_KeepsItsSlot()
    {
        await using var dispatcher = await DispatcherUnderTest.StartAsync(settings: new Dictionary<string, string?> { ["Dispatcher:LeaseTtl"] = "00:00:03", ["Dispatcher:QueueTimeout"] = "00:00:04.500" });
        await using var worker = await TestWorker.StartAsync(dispatcher.Address, "worker-1", slots: 1);

        var longCall = Calls.RelayAsync(dispatcher.Dispatch, Calls.Tool(Calls.Route(), 1, "sleep", ms: 6000));
        await DispatcherUnderTest.EventuallyAsync(() => worker.Service.Started.Count == 1, "the long call runs");
        var meanwhile = Assert.Single(await Calls.RelayAsync(dispatcher.Dispatch, Calls.Tool(Calls.Route(), 2, "echo")));
        await longCall;

        Assert.Equal(Busy.Types.Reason.QueueTimeout, meanwhile.Busy.Reason);
        Assert.Equal(1, worker.Service.MaxInFlightPerSlot);
    }

    [Fact]
    public async Task Notification_IsDelivered_AndTheStreamEndsWithoutAResult()
    {
        await using var dispatcher = await DispatcherUnderTest.StartAsync();
        await using var worker = await TestWorker.StartAsync(dispatcher.Address, "worker-1", slots: 1);
        var request = new RelayRequest
        {
            Route = Calls.Route(),
            Message = ByteString.CopyFromUtf8("""{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":3}}"""),
            Method = "notifications/cancelled",
            IsNotification = true,
        };

        var events = await Calls.RelayAsync(dispatcher.Dispatch, request);

        Assert.Empty(events);
        Assert.Single(worker.Service.Started);
        // The lease bank keeps the place for the next call until it has been idle for IdleReturn, then gives it back.
        await DispatcherUnderTest.EventuallyAsync(async () => await dispatcher.Leases.CountAsync("worker-1", "echo/0", CancellationToken.None) == 0, "the slot's place is given back");
    }
}
