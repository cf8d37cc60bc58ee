using Grpc.Core;
using McpPlatform.Contracts.Common.V1;
using McpPlatform.Contracts.Dispatch.V1;
using McpPlatform.Contracts.Worker.V1;
using McpPlatform.Dispatcher.Grpc.Tests.Infrastructure;

namespace McpPlatform.Dispatcher.Grpc.Tests;

public sealed class RegistryTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task WorkerMissingHeartbeats_IsRemoved_AndItsLeasesComeBack(bool useRedis)
    {
        await using var redis = useRedis ? await RedisServer.StartAsync() : null;
        await using var dispatcher = await DispatcherUnderTest.StartAsync(redis?.ConnectionString, settings: new Dictionary<string, string?>
        {
            ["Dispatcher:HeartbeatInterval"] = "00:00:00.250",
            ["Dispatcher:MissedHeartbeats"] = "4",
        });
        await using var worker = await TestWorker.StartAsync(dispatcher.Address, "worker-1", slots: 2);
        var lease = (await dispatcher.Dispatch.AdmitAsync(new AdmitRequest { Route = Calls.Route(), Hold = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(TimeSpan.FromMinutes(5)) })).Lease;
        Assert.Equal(1, await dispatcher.Leases.CountAsync("worker-1", lease.SlotId, CancellationToken.None));

        await worker.StopHeartbeatsAsync();
        await DispatcherUnderTest.EventuallyAsync(() => dispatcher.Pool.Find("worker-1") is null, "the silent worker is removed");

        Assert.Equal(0, await dispatcher.Leases.CountAsync("worker-1", lease.SlotId, CancellationToken.None));
        Assert.False((await dispatcher.Dispatch.RenewLeaseAsync(new RenewLeaseRequest { LeaseId = lease.LeaseId })).Renewed);
        Assert.False((await worker.Registry.HeartbeatAsync(new HeartbeatRequest { WorkerId = "worker-1" })).Known);
        var busy = (await dispatcher.Dispatch.AdmitAsync(new AdmitRequest { Route = Calls.Route() })).Busy;
        Assert.Equal(Busy.Types.Reason.NoWorker, busy.Reason);
    }

    [Fact]
    public async Task Deregister_RemovesTheWorkerAtOnce()
    {
        await using var dispatcher = await DispatcherUnderTest.StartAsync();
        await using var worker = await TestWorker.StartAsync(dispatcher.Address, "worker-1", slots: 1);

        await worker.Registry.DeregisterAsync(new DeregisterRequest { WorkerId = "worker-1" });

        Assert.Null(dispatcher.Pool.Find("worker-1"));
        Assert.Equal(Busy.Types.Reason.NoWorker, (await dispatcher.Dispatch.AdmitAsync(new AdmitRequest { Route = Calls.Route() })).Busy.Reason);
    }

    [Fact]
    public async Task Register_AnswersTheHeartbeatIntervalAndLeaseTtl()
    {
        await using var dispatcher = await DispatcherUnderTest.StartAsync();

        var response = await dispatcher.Registry.RegisterAsync(new RegisterRequest
        {
            WorkerId = "worker-1",
            Address = "http://127.0.0.1:1",
            Capacity = 1,
            Catalog = { new CatalogEntry { Name = "echo", MaxSlots = 1, Isolation = Isolation.Shared } },
        });

        Assert.True(response.Accepted);
        Assert.Equal(TimeSpan.FromSeconds(1), response.HeartbeatInterval.ToTimeSpan());
        Assert.Equal(TimeSpan.FromSeconds(5), response.LeaseTtl.ToTimeSpan());
    }

    [Fact]
    public async Task Register_WithBadFields_IsInvalidArgument_ListingEveryProblem()
    {
        await using var dispatcher = await DispatcherUnderTest.StartAsync();

        var error = await Assert.ThrowsAsync<RpcException>(async () => await dispatcher.Registry.RegisterAsync(new RegisterRequest
        {
            WorkerId = "",
            Address = "not a url",
            Catalog = { new CatalogEntry { Name = "echo", MaxSlots = 0 } },
        }));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("worker_id is required.", error.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("address must be", error.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("max_slots", error.Status.Detail, StringComparison.Ordinal);
    }
}
