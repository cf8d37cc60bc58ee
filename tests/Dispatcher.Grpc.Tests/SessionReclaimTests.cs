using Google.Protobuf;
using Grpc.Core;
using McpPlatform.Contracts.Common.V1;
using McpPlatform.Contracts.Dispatch.V1;
using McpPlatform.Dispatcher.Grpc.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace McpPlatform.Dispatcher.Grpc.Tests;

/// <summary>
/// A new session that finds no free slot takes the slot of a quiet session (silent for SessionReclaimAfter, waiting
/// for no answer): clients that leave without DELETE must not turn new clients away until the idle timeout. The test
/// worker echoes every client message back, so a request comes back as a server request the client must answer.
/// </summary>
public sealed class SessionReclaimTests
{
    private static readonly Dictionary<string, string?> Settings = new()
    {
        // Any silence is long enough here; the queue timeout bounds the refusals.
        ["Dispatcher:SessionReclaimAfter"] = "00:00:00.001",
        ["Dispatcher:QueueTimeout"] = "00:00:00.500",
    };

    [Fact]
    public async Task QuietSession_WhenANewOneFindsNoSlot_GivesItsSlotUp()
    {
        await using var dispatcher = await DispatcherUnderTest.StartAsync(settings: Settings);
        await using var worker = await TestWorker.StartAsync(dispatcher.Address, "worker-1", slots: 1, isolation: Isolation.Session);
        using var first = await OpenAsync(dispatcher, "tenant-a");

        using var second = await OpenAsync(dispatcher, "tenant-b");
        var secondFrame = second.ResponseStream.Current;
        Assert.True(await first.ResponseStream.MoveNext(CancellationToken.None));
        var closed = first.ResponseStream.Current.Closed;

        Assert.NotNull(secondFrame.Opened);
        Assert.Equal(SessionClosed.Types.Reason.Idle, closed.Reason);
        Assert.Contains("a new session needed its slot", closed.Message, StringComparison.Ordinal);
        // Told, not just cancelled: a worker keeps a cancelled session's process for a resume, so its slot would stay taken.
        Assert.Contains("a new session needed its slot", worker.Service.LastCloseReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SessionThatFallsQuietWhileANewOneWaits_GivesItsSlotUpThen()
    {
        // Just opened, the first session is not yet silent long enough: the new one waits until it is.
        await using var dispatcher = await DispatcherUnderTest.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Dispatcher:SessionReclaimAfter"] = "00:00:00.300",
            ["Dispatcher:QueueTimeout"] = "00:00:10",
        });
        await using var worker = await TestWorker.StartAsync(dispatcher.Address, "worker-1", slots: 1, isolation: Isolation.Session);
        using var first = await OpenAsync(dispatcher, "tenant-a");

        using var second = await OpenAsync(dispatcher, "tenant-b");
        var secondFrame = second.ResponseStream.Current;
        Assert.True(await first.ResponseStream.MoveNext(CancellationToken.None));

        Assert.NotNull(secondFrame.Opened);
        Assert.Equal(SessionClosed.Types.Reason.Idle, first.ResponseStream.Current.Closed?.Reason);
    }

    [Fact]
    public async Task SessionWaitingForAnAnswer_IsNotReclaimed_UntilTheAnswerCame()
    {
        await using var dispatcher = await DispatcherUnderTest.StartAsync(settings: Settings);
        await using var worker = await TestWorker.StartAsync(dispatcher.Address, "worker-1", slots: 1, isolation: Isolation.Session);
        using var first = await OpenAsync(dispatcher, "tenant-a");
        await SendAsync(first, """{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"slow"}}""");
        Assert.True(await first.ResponseStream.MoveNext(CancellationToken.None));

        using var refused = await OpenAsync(dispatcher, "tenant-b");
        var refusedFrame = refused.ResponseStream.Current;
        // The echo is a server request (id 1) answering nothing; the client's answer comes back as the server's answer.
        await SendAsync(first, """{"jsonrpc":"2.0","id":1,"result":{}}""");
        Assert.True(await first.ResponseStream.MoveNext(CancellationToken.None));
        var answered = first.ResponseStream.Current.Message.ToStringUtf8();
        using var admitted = await OpenAsync(dispatcher, "tenant-c");
        var admittedFrame = admitted.ResponseStream.Current;
        Assert.True(await first.ResponseStream.MoveNext(CancellationToken.None));
        var closed = first.ResponseStream.Current.Closed;

        Assert.Equal(Busy.Types.Reason.QueueTimeout, refusedFrame.Busy?.Reason);
        Assert.Equal("""{"jsonrpc":"2.0","id":1,"result":{}}""", answered);
        Assert.NotNull(admittedFrame.Opened);
        Assert.Equal(SessionClosed.Types.Reason.Idle, closed?.Reason);
    }

    [Fact]
    public async Task SessionWhoseRequestWasCancelled_IsReclaimable()
    {
        await using var dispatcher = await DispatcherUnderTest.StartAsync(settings: Settings);
        await using var worker = await TestWorker.StartAsync(dispatcher.Address, "worker-1", slots: 1, isolation: Isolation.Session);
        using var first = await OpenAsync(dispatcher, "tenant-a");
        await SendAsync(first, """{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"slow"}}""");
        Assert.True(await first.ResponseStream.MoveNext(CancellationToken.None));
        // Echoed, the cancellation also withdraws the server's copy of the request: neither side waits any more.
        await SendAsync(first, """{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":1}}""");
        Assert.True(await first.ResponseStream.MoveNext(CancellationToken.None));

        using var admitted = await OpenAsync(dispatcher, "tenant-b");
        var admittedFrame = admitted.ResponseStream.Current;
        Assert.True(await first.ResponseStream.MoveNext(CancellationToken.None));

        Assert.NotNull(admittedFrame.Opened);
        Assert.Equal(SessionClosed.Types.Reason.Idle, first.ResponseStream.Current.Closed?.Reason);
    }

    [Fact]
    public async Task ReclaimingDisabled_NewSessionWaitsAndIsRefused()
    {
        await using var dispatcher = await DispatcherUnderTest.StartAsync(settings: new Dictionary<string, string?>(Settings) { ["Dispatcher:SessionReclaimAfter"] = "00:00:00" });
        await using var worker = await TestWorker.StartAsync(dispatcher.Address, "worker-1", slots: 1, isolation: Isolation.Session);
        using var first = await OpenAsync(dispatcher, "tenant-a");

        using var refused = await OpenAsync(dispatcher, "tenant-b");
        await SendAsync(first, """{"jsonrpc":"2.0","method":"notifications/initialized"}""");
        Assert.True(await first.ResponseStream.MoveNext(CancellationToken.None));

        Assert.Equal(Busy.Types.Reason.QueueTimeout, refused.ResponseStream.Current.Busy?.Reason);
        Assert.NotNull(first.ResponseStream.Current.Message);
    }

    [Fact]
    public async Task NegativeReclaimTime_StopsTheStart()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => DispatcherUnderTest.StartAsync(settings: new Dictionary<string, string?> { ["Dispatcher:SessionReclaimAfter"] = "-00:00:01" }));

        Assert.Contains("Dispatcher:SessionReclaimAfter must not be negative (zero disables reclaiming).", error.Failures);
    }

    /// <summary>Opens a session for <paramref name="tenant"/> and reads its first frame (opened or busy).</summary>
    private static async Task<AsyncDuplexStreamingCall<SessionClientFrame, SessionServerFrame>> OpenAsync(DispatcherUnderTest dispatcher, string tenant)
    {
        var call = dispatcher.Dispatch.Session(deadline: DateTime.UtcNow.AddSeconds(20));
        await call.RequestStream.WriteAsync(new SessionClientFrame { Open = new SessionOpen { Route = Calls.Route(tenant: tenant) } });
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        return call;
    }

    private static Task SendAsync(AsyncDuplexStreamingCall<SessionClientFrame, SessionServerFrame> call, string message) =>
        call.RequestStream.WriteAsync(new SessionClientFrame { Message = ByteString.CopyFromUtf8(message) });
}
