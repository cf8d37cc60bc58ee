using Google.Protobuf;
using McpPlatform.Contracts.Common.V1;
using McpPlatform.Contracts.Dispatch.V1;
using McpPlatform.Dispatcher.Grpc.Tests.Infrastructure;

namespace McpPlatform.Dispatcher.Grpc.Tests;

public sealed class SessionTests
{
    [Fact]
    public async Task Session_RelaysBothWays_HoldsTheSlot_AndReleasesItOnClose()
    {
        await using var dispatcher = await DispatcherUnderTest.StartAsync(settings: new Dictionary<string, string?> { ["Dispatcher:QueueTimeout"] = "00:00:00.200" });
        await using var worker = await TestWorker.StartAsync(dispatcher.Address, "worker-1", slots: 1, isolation: Isolation.Session);
        using var call = dispatcher.Dispatch.Session(deadline: DateTime.UtcNow.AddSeconds(20));

        await call.RequestStream.WriteAsync(new SessionClientFrame { Open = new SessionOpen { Route = Calls.Route() } });
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        var opened = call.ResponseStream.Current.Opened;
        var whileOpen = await dispatcher.Dispatch.AdmitAsync(new AdmitRequest { Route = Calls.Route() });
        await call.RequestStream.WriteAsync(new SessionClientFrame { Message = ByteString.CopyFromUtf8("""{"jsonrpc":"2.0","id":1,"method":"ping"}""") });
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        var echoed = call.ResponseStream.Current.Message;
        await call.RequestStream.WriteAsync(new SessionClientFrame { Close = new SessionClose { Reason = "delete" } });
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        var closed = call.ResponseStream.Current.Closed;
        var afterClose = await dispatcher.Dispatch.AdmitAsync(new AdmitRequest { Route = Calls.Route() });

        Assert.Equal(Isolation.Session, opened.Lease.Isolation);
        Assert.Equal(opened.Lease.LeaseId, worker.Service.LastLeaseId);
        Assert.Equal(Busy.Types.Reason.QueueTimeout, whileOpen.Busy.Reason);
        Assert.Equal("""{"jsonrpc":"2.0","id":1,"method":"ping"}""", echoed.ToStringUtf8());
        Assert.Equal(SessionClosed.Types.Reason.ClientClosed, closed.Reason);
        Assert.NotNull(afterClose.Lease);
    }

    [Fact]
    public async Task Session_IdleForItsTimeout_IsClosedAndItsSlotReleased()
    {
        await using var dispatcher = await DispatcherUnderTest.StartAsync();
        await using var worker = await TestWorker.StartAsync(dispatcher.Address, "worker-1", slots: 1, isolation: Isolation.Session);
        using var call = dispatcher.Dispatch.Session(deadline: DateTime.UtcNow.AddSeconds(20));

        await call.RequestStream.WriteAsync(new SessionClientFrame { Open = new SessionOpen { Route = Calls.Route(), IdleTimeout = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(TimeSpan.FromMilliseconds(300)) } });
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        var lease = call.ResponseStream.Current.Opened.Lease;
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        var closed = call.ResponseStream.Current.Closed;

        Assert.Equal(SessionClosed.Types.Reason.Idle, closed.Reason);
        Assert.Equal(0, await dispatcher.Leases.CountAsync("worker-1", lease.SlotId, CancellationToken.None));
    }

    [Fact]
    public async Task Session_OnAWorkerThatCannotBeReached_ClosesWithTheReason_AndReleasesTheSlot()
    {
        await using var dispatcher = await DispatcherUnderTest.StartAsync();
        await using var worker = await TestWorker.StartAsync(dispatcher.Address, "worker-1", slots: 1, isolation: Isolation.Session);
        await worker.KillAsync();
        using var call = dispatcher.Dispatch.Session(deadline: DateTime.UtcNow.AddSeconds(20));

        await call.RequestStream.WriteAsync(new SessionClientFrame { Open = new SessionOpen { Route = Calls.Route() } });
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        var closed = call.ResponseStream.Current.Closed;

        Assert.Equal(SessionClosed.Types.Reason.ProcessExited, closed.Reason);
        Assert.Contains("worker-1", closed.Message, StringComparison.Ordinal);
        Assert.Equal(0, await dispatcher.Leases.CountAsync("worker-1", "echo/0", CancellationToken.None));
    }
}
