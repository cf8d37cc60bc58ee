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
    /// True when no request of either side is unanswered. A request cancelled without an answer keeps it false, which
    /// only means the session is never reclaimed early (the idle timeout still ends it).
    /// </summary>
    public bool WaitsForNothing => Volatile.Read(ref _clientRequests) == 0 && Volatile.Read(ref _serverRequests) == 0;

    /// <summary>Completes with the reason when the session's slot is taken for a new session.</summary>
    public Task<string> Reclaimed => _reclaimed.Task;

    public void FromClient(ReadOnlySpan<byte> message, long now)
    {
        Volatile.Write(ref _lastActivity, now);
        Count(JsonRpcEnvelope.Parse(message).Kind, ref _clientRequests, ref _serverRequests);
    }

    public void FromServer(ReadOnlySpan<byte> message, long now)
    {
        Volatile.Write(ref _lastActivity, now);
        Count(JsonRpcEnvelope.Parse(message).Kind, ref _serverRequests, ref _clientRequests);
    }

    public bool TryReclaim(string reason) => _reclaimed.TrySetResult(reason);

    /// <summary>A request from one side opens an answer it waits for; a response from it settles one of the other side's.</summary>
    private static void Count(JsonRpcKind kind, ref int own, ref int other)
    {
        if (kind == JsonRpcKind.Request)
        {
            Interlocked.Increment(ref own);
            return;
        }

        if (kind != JsonRpcKind.Response)
        {
            return;
        }

        // Never below zero: a stray response (or one to a request sent before this dispatcher relayed the session) settles nothing.
        var seen = Volatile.Read(ref other);
        while (seen > 0 && Interlocked.CompareExchange(ref other, seen - 1, seen) is var actual && actual != seen)
        {
            seen = actual;
        }
    }
}
