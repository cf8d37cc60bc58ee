using McpPlatform.Contracts.Common.V1;
using McpPlatform.Contracts.Dispatch.V1;
using McpPlatform.Dispatcher.Grpc.Tests.Infrastructure;

namespace McpPlatform.Dispatcher.Grpc.Tests;

public sealed class AdmissionTests
{
    [Fact]
    public async Task TenantWithManyQueuedCalls_DelaysAnotherTenantsCall_ByAtMostOneSlotTurn()
    {
        await using var dispatcher = await DispatcherUnderTest.StartAsync(settings: new Dictionary<string, string?> { ["Dispatcher:QueueTimeout"] = "00:01:00", ["Dispatcher:MaxQueueLength"] = "2000" });
        await using var worker = await TestWorker.StartAsync(dispatcher.Address, "worker-1", slots: 1);
        var noisy = Calls.Route(tenant: "noisy");

        var running = Calls.RelayAsync(dispatcher.Dispatch, Calls.Tool(noisy, 0, "gate"));
        await DispatcherUnderTest.EventuallyAsync(() => worker.Service.Started.Count == 1, "the first call holds the only slot");
        var queued = Enumerable.Range(1, 1000).Select(id => Calls.RelayAsync(dispatcher.Dispatch, Calls.Tool(noisy, id, "gate"), TimeSpan.FromMinutes(1))).ToList();
        await DispatcherUnderTest.EventuallyAsync(() => dispatcher.Admission.Depth("echo") == 1000, "1000 calls of the noisy tenant are queued", TimeSpan.FromSeconds(60));
        var quiet = Calls.RelayAsync(dispatcher.Dispatch, Calls.Tool(Calls.Route(tenant: "quiet"), 1000, "gate"), TimeSpan.FromMinutes(1));
        await DispatcherUnderTest.EventuallyAsync(() => dispatcher.Admission.Depth("echo") == 1001, "the quiet tenant's call is queued");

        worker.Service.Gate.Release(2000);
        await Task.WhenAll([running, quiet, .. queued]);

        var order = worker.Service.Started.ToList();
        var quietTurn = order.FindIndex(start => start.Tenant == "quiet");
        Assert.Equal(1002, order.Count);
        Assert.InRange(quietTurn, 1, 2);
    }

    [Fact]
    public async Task QueueTimeout_AnswersBusy_WithRetryAfter()
    {
        await using var dispatcher = await DispatcherUnderTest.StartAsync(settings: new Dictionary<string, string?> { ["Dispatcher:QueueTimeout"] = "00:00:00.300", ["Dispatcher:RetryAfter"] = "00:00:02" });
        await using var worker = await TestWorker.StartAsync(dispatcher.Address, "worker-1", slots: 1);
        var holding = Calls.RelayAsync(dispatcher.Dispatch, Calls.Tool(Calls.Route(), 1, "gate"));
        await DispatcherUnderTest.EventuallyAsync(() => worker.Service.Started.Count == 1, "the only slot is taken");

        var busy = Assert.Single(await Calls.RelayAsync(dispatcher.Dispatch, Calls.Tool(Calls.Route(), 2, "echo"))).Busy;
        worker.Service.Gate.Release();
        await holding;

        Assert.NotNull(busy);
        Assert.Equal(Busy.Types.Reason.QueueTimeout, busy.Reason);
        Assert.Equal(TimeSpan.FromSeconds(2), busy.RetryAfter.ToTimeSpan());
        Assert.Contains("echo", busy.Message, StringComparison.Ordinal);
        Assert.Single(worker.Service.Started);
    }

    [Fact]
    public async Task CallerDeadlineBeforeTheQueueTimeout_AnswersBusyBeforeTheDeadline()
    {
        await using var dispatcher = await DispatcherUnderTest.StartAsync();
        await using var worker = await TestWorker.StartAsync(dispatcher.Address, "worker-1", slots: 1);
        var holding = Calls.RelayAsync(dispatcher.Dispatch, Calls.Tool(Calls.Route(), 1, "gate"));
        await DispatcherUnderTest.EventuallyAsync(() => worker.Service.Started.Count == 1, "the only slot is taken");

        var busy = Assert.Single(await Calls.RelayAsync(dispatcher.Dispatch, Calls.Tool(Calls.Route(), 2, "echo"), TimeSpan.FromSeconds(5))).Busy;
        var depth = dispatcher.Admission.Depth("echo");
        worker.Service.Gate.Release();
        await holding;

        Assert.Equal(Busy.Types.Reason.QueueTimeout, busy.Reason);
        Assert.Equal(0, depth);
        Assert.Single(worker.Service.Started);
    }

    [Fact]
    public async Task FullQueue_AnswersBusyQueueFull_AtOnce()
    {
        await using var dispatcher = await DispatcherUnderTest.StartAsync(settings: new Dictionary<string, string?> { ["Dispatcher:MaxQueueLength"] = "1" });
        await using var worker = await TestWorker.StartAsync(dispatcher.Address, "worker-1", slots: 1);
        var holding = Calls.RelayAsync(dispatcher.Dispatch, Calls.Tool(Calls.Route(), 1, "gate"));
        await DispatcherUnderTest.EventuallyAsync(() => worker.Service.Started.Count == 1, "the only slot is taken");
        var waiting = Calls.RelayAsync(dispatcher.Dispatch, Calls.Tool(Calls.Route(), 2, "gate"));
        await DispatcherUnderTest.EventuallyAsync(() => dispatcher.Admission.Depth("echo") == 1, "one call waits");

        var busy = Assert.Single(await Calls.RelayAsync(dispatcher.Dispatch, Calls.Tool(Calls.Route(), 3, "echo"))).Busy;
        worker.Service.Gate.Release(2);
        await Task.WhenAll(holding, waiting);

        Assert.Equal(Busy.Types.Reason.QueueFull, busy.Reason);
        Assert.Equal(1, busy.QueueDepth);
        Assert.Equal(TimeSpan.FromSeconds(1), busy.RetryAfter.ToTimeSpan());
    }

    [Fact]
    public async Task PlanConcurrency_IsEnforcedAcrossTwoDispatchersSharingRedis()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var one = await DispatcherUnderTest.StartAsync(redis.ConnectionString);
        await using var two = await DispatcherUnderTest.StartAsync(redis.ConnectionString);
        await using var worker = await TestWorker.StartAsync(one.Address, "worker-1", slots: 4);
        await DispatcherUnderTest.EventuallyAsync(() => two.Pool.Find("worker-1") is not null, "the second dispatcher sees the worker through Redis");
        var route = Calls.Route(tenant: "acme", planMax: 2);
        var hold = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(TimeSpan.FromSeconds(30));

        var first = await one.Dispatch.AdmitAsync(new AdmitRequest { Route = route, Hold = hold });
        var second = await two.Dispatch.AdmitAsync(new AdmitRequest { Route = route, Hold = hold });
        var third = await two.Dispatch.AdmitAsync(new AdmitRequest { Route = route, Hold = hold });
        var otherTenant = await one.Dispatch.AdmitAsync(new AdmitRequest { Route = Calls.Route(tenant: "other", planMax: 2), Hold = hold });
        var released = await two.Dispatch.ReleaseLeaseAsync(new ReleaseLeaseRequest { LeaseId = first.Lease.LeaseId, Reason = "test" });
        var afterRelease = await one.Dispatch.AdmitAsync(new AdmitRequest { Route = route, Hold = hold });

        Assert.NotNull(first.Lease);
        Assert.NotNull(second.Lease);
        Assert.NotEqual(first.Lease.SlotId, second.Lease.SlotId);
        Assert.Equal(Busy.Types.Reason.PlanConcurrency, third.Busy.Reason);
        Assert.NotNull(otherTenant.Lease);
        Assert.True(released.Released);
        Assert.NotNull(afterRelease.Lease);
    }

    [Fact]
    public async Task AdmitRenewRelease_RoundTrip_AndUnknownLeasesAreReportedNotThrown()
    {
        await using var dispatcher = await DispatcherUnderTest.StartAsync(settings: new Dictionary<string, string?> { ["Dispatcher:QueueTimeout"] = "00:00:00.200" });
        await using var worker = await TestWorker.StartAsync(dispatcher.Address, "worker-1", slots: 1);

        var admitted = await dispatcher.Dispatch.AdmitAsync(new AdmitRequest { Route = Calls.Route() });
        var busy = await dispatcher.Dispatch.AdmitAsync(new AdmitRequest { Route = Calls.Route() });
        var renewed = await dispatcher.Dispatch.RenewLeaseAsync(new RenewLeaseRequest { LeaseId = admitted.Lease.LeaseId, Hold = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(TimeSpan.FromMinutes(1)) });
        var released = await dispatcher.Dispatch.ReleaseLeaseAsync(new ReleaseLeaseRequest { LeaseId = admitted.Lease.LeaseId });
        var releasedAgain = await dispatcher.Dispatch.ReleaseLeaseAsync(new ReleaseLeaseRequest { LeaseId = admitted.Lease.LeaseId });
        var renewedAfterRelease = await dispatcher.Dispatch.RenewLeaseAsync(new RenewLeaseRequest { LeaseId = admitted.Lease.LeaseId });

        Assert.Equal("worker-1", admitted.Lease.WorkerId);
        Assert.Equal(worker.Address, admitted.Lease.WorkerAddress);
        Assert.Equal("echo/0", admitted.Lease.SlotId);
        Assert.Equal(Isolation.Shared, admitted.Lease.Isolation);
        Assert.True(renewed.Renewed);
        Assert.True(renewed.ExpiresAt.ToDateTime() > DateTime.UtcNow.AddSeconds(50));
        Assert.True(released.Released);
        Assert.False(releasedAgain.Released);
        Assert.False(renewedAfterRelease.Renewed);
        Assert.True(busy.ResultCase is AdmitResponse.ResultOneofCase.Busy);
    }
}
