using McpPlatform.Contracts.Common.V1;
using McpPlatform.Contracts.Dispatch.V1;
using McpPlatform.Dispatcher.Grpc.Tests.Infrastructure;

namespace McpPlatform.Dispatcher.Grpc.Tests;

/// <summary>
/// A session that ends must end on the worker too: a worker that sees only a cancelled stream keeps the session's
/// process for a resume, and the slot the dispatcher gives back would still be taken there.
/// </summary>
public sealed class SessionCloseTests
{
    [Fact]
    public async Task ClientClose_ReachesTheWorker_BeforeTheSessionIsReportedClosed()
    {
        await using var dispatcher = await DispatcherUnderTest.StartAsync();
        await using var worker = await TestWorker.StartAsync(dispatcher.Address, "worker-1", slots: 1, isolation: Isolation.Session);
        using var call = dispatcher.Dispatch.Session(deadline: DateTime.UtcNow.AddSeconds(20));
        await call.RequestStream.WriteAsync(new SessionClientFrame { Open = new SessionOpen { Route = Calls.Route() } });
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));

        await call.RequestStream.WriteAsync(new SessionClientFrame { Close = new SessionClose { Reason = "delete" } });
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));

        Assert.Equal(SessionClosed.Types.Reason.ClientClosed, call.ResponseStream.Current.Closed?.Reason);
        Assert.Equal("delete", worker.Service.LastCloseReason);
    }

    [Fact]
    public async Task IdleTimeout_ClosesTheSessionOnTheWorker()
    {
        await using var dispatcher = await DispatcherUnderTest.StartAsync();
        await using var worker = await TestWorker.StartAsync(dispatcher.Address, "worker-1", slots: 1, isolation: Isolation.Session);
        using var call = dispatcher.Dispatch.Session(deadline: DateTime.UtcNow.AddSeconds(20));
        await call.RequestStream.WriteAsync(new SessionClientFrame { Open = new SessionOpen { Route = Calls.Route(), IdleTimeout = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(TimeSpan.FromMilliseconds(300)) } });
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));

        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));

        Assert.Equal(SessionClosed.Types.Reason.Idle, call.ResponseStream.Current.Closed?.Reason);
        Assert.StartsWith("No traffic for", worker.Service.LastCloseReason, StringComparison.Ordinal);
    }
}
