using McpPlatform.Protocol.JsonRpc;

namespace McpPlatform.Dispatcher.Grpc.Relay;

/// <summary>
/// One relayed Session stream as <see cref="SessionDirectory"/> sees it: when it last carried a message, and whether
/// either side still waits for an answer (requests counted against responses, both ways). A session that waits for
/// nothing and has been silent a while is most likely one whose client left without a DELETE.
/// </summary>
internal sealed class LiveSession(string server, string sessionId, long now)
{
    private readonly TaskCompletionSource<string> _reclaimed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _lastActivity = now;
    private int _clientRequests;
    private int _serverRequests;

    public string Server => server;

    public string SessionId => sessionId;

    /// <summary>Timestamp (<see cref="TimeProvider.GetTimestamp"/>) of the last message either way.</summary>
    public long LastActivity => Volatile.Read(ref _lastActivity);

    /// <summary>
    /// True when no request of either side is unanswered. A cancelled request counts as answered (its answer should not
    /// come); a request left unanswered otherwise keeps it false, which only means the session is never reclaimed early
    /// (the idle timeout still ends it).
    /// </summary>
    public bool WaitsForNothing => Volatile.Read(ref _clientRequests) == 0 && Volatile.Read(ref _serverRequests) == 0;

    /// <summary>Completes with the reason when the session's slot is taken for a new session.</summary>
    public Task<string> Reclaimed => _reclaimed.Task;

    public void FromClient(ReadOnlySpan<byte> message, long now)
    {
        Volatile.Write(ref _lastActivity, now);
        Count(message, ref _clientRequests, ref _serverRequests);
    }

    public void FromServer(ReadOnlySpan<byte> message, long now)
    {
        Volatile.Write(ref _lastActivity, now);
        Count(message, ref _serverRequests, ref _clientRequests);
    }

    public bool TryReclaim(string reason) => _reclaimed.TrySetResult(reason);

    /// <summary>
    /// A request from one side opens an answer it waits for; a response from it settles one of the other side's; its
    /// <c>notifications/cancelled</c> settles one of its own (the receiver should not answer a cancelled request).
    /// </summary>
    private static void Count(ReadOnlySpan<byte> message, ref int own, ref int other)
    {
        var envelope = JsonRpcEnvelope.Parse(message);
        if (envelope.Kind == JsonRpcKind.Request)
        {
            Interlocked.Increment(ref own);
        }
        else if (envelope.Kind == JsonRpcKind.Response)
        {
            Settle(ref other);
        }
        else if (envelope.Kind == JsonRpcKind.Notification && envelope.MethodIs(message, "\"notifications/cancelled\""u8))
        {
            Settle(ref own);
        }
    }

    /// <summary>
    /// One fewer awaited answer, never below zero: a stray response (or one to a request sent before this dispatcher
    /// relayed the session, or one that raced its cancellation) settles nothing.
    /// </summary>
    private static void Settle(ref int count)
    {
        var seen = Volatile.Read(ref count);
        while (seen > 0 && Interlocked.CompareExchange(ref count, seen - 1, seen) is var actual && actual != seen)
        {
            seen = actual;
        }
    }
}
