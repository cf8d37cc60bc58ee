using McpPlatform.Contracts.Common.V1;
using McpPlatform.Contracts.Dispatch.V1;
using McpPlatform.Contracts.Worker.V1;
using McpPlatform.Dispatcher.Grpc.Tests.Infrastructure;

namespace McpPlatform.Dispatcher.Grpc.Tests;

public sealed class HeartbeatTests
{
    [Fact]
    public async Task SlotReportedCrashed_IsNotLeased_UntilItRecovers()
    {
        await using var dispatcher = await DispatcherUnderTest.StartAsync();
        await RegisterAsync(dispatcher, slots: 2);

        await BeatAsync(dispatcher, draining: false, SlotStatus.Types.State.Crashed, SlotStatus.Types.State.Idle);
        var first = await dispatcher.Dispatch.AdmitAsync(new AdmitRequest { Route = Calls.Route() });
        await dispatcher.Dispatch.ReleaseLeaseAsync(new ReleaseLeaseRequest { LeaseId = first.Lease.LeaseId });
        await BeatAsync(dispatcher, draining: false, SlotStatus.Types.State.Idle, SlotStatus.Types.State.Idle);
        var second = await dispatcher.Dispatch.AdmitAsync(new AdmitRequest { Route = Calls.Route() });

        Assert.Equal("echo/1", first.Lease.SlotId);
        Assert.Equal("echo/0", second.Lease.SlotId);
    }

    [Fact]
    public async Task DrainingWorker_GetsNoNewLeases_AndCallersAreToldSo()
    {
        await using var dispatcher = await DispatcherUnderTest.StartAsync();
        await RegisterAsync(dispatcher, slots: 2);

        await BeatAsync(dispatcher, draining: true, SlotStatus.Types.State.Draining, SlotStatus.Types.State.Draining);
        var answer = await dispatcher.Dispatch.AdmitAsync(new AdmitRequest { Route = Calls.Route() });

        Assert.Equal(Busy.Types.Reason.Draining, answer.Busy.Reason);
        Assert.True(answer.Busy.RetryAfter.ToTimeSpan() >= TimeSpan.FromSeconds(1));
    }

    private static async Task RegisterAsync(DispatcherUnderTest dispatcher, int slots) =>
        await dispatcher.Registry.RegisterAsync(new RegisterRequest
        {
            WorkerId = "worker-1",
            Address = "http://127.0.0.1:1",
            Capacity = slots,
            Catalog = { new CatalogEntry { Name = "echo", MaxSlots = slots, MaxConcurrentCallsPerSlot = 1, Isolation = Isolation.Shared } },
        });

    private static async Task BeatAsync(DispatcherUnderTest dispatcher, bool draining, params SlotStatus.Types.State[] states)
    {
        var beat = new HeartbeatRequest { WorkerId = "worker-1", Draining = draining };
        beat.Slots.AddRange(states.Select((state, n) => new SlotStatus { SlotId = $"echo/{n}", Server = "echo", State = state }));
        Assert.True((await dispatcher.Registry.HeartbeatAsync(beat)).Known);
    }
}
