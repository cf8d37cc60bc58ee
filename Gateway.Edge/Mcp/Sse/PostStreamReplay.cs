using McpPlatform.Gateway.Edge.Mcp.Sessions;
using McpPlatform.Protocol.JsonRpc;
using McpPlatform.Stores.Events;
using McpPlatform.Stores.Sessions;

namespace McpPlatform.Gateway.Edge.Mcp.Sse;

/// <summary>
/// GET + <c>Last-Event-ID</c> naming a POST's stream: the rest of that stream from the session's event log (see
/// <see cref="PostStreamLog"/>), on any replica. Events logged after the position are written at once; while the
/// request still runs (on whichever replica took the POST) the reader blocks for the next append, with a keepalive
/// comment after each idle interval. The stream ends after the response (or the end marker, when the client already
/// held the response's id), when the session is gone, or when the stream expired (its replica died before the response).
/// </summary>
internal sealed class PostStreamReplay(ISessionEventLog events, SessionCache sessions, TimeSpan keepAlive)
{
    public const int BatchSize = 64;

    /// <summary>The first read, before any header goes out: nothing after the position and not continuous means the
    /// stream is not in this session's log (never was, another session's, or expired), which is a 404.</summary>
    public ValueTask<EventReadResult> FirstAsync(string sessionId, string stream, string position, CancellationToken cancellationToken) =>
        events.ReadAfterAsync(sessionId, stream, position, BatchSize, cancellationToken);

    public static bool IsUnknown(EventReadResult first) => first.Events.Count == 0 && !first.IsContinuous;

    /// <summary>Writes the rest of the stream; returns why it ended.</summary>
    public async Task<string> PumpAsync(SseWriter sse, SessionGate.Found session, string stream, string position, EventReadResult first, CancellationToken cancellationToken)
    {
        var read = first;
        var waited = false;
        while (!cancellationToken.IsCancellationRequested)
        {
            foreach (var item in read.Events)
            {
                position = item.Id;
                if (PostStreamLog.IsEndMarker(item))
                {
                    return "ended";
                }

                if (item.Message.IsEmpty)
                {
                    // The priming event: the client had it when it held any later id.
                    continue;
                }

                await sse.WriteEventAsync(SseEventId.Format(stream, item.Id), item.Message.Span, null, cancellationToken).ConfigureAwait(false);
                if (JsonRpcEnvelope.Parse(item.Message.Span).Kind == JsonRpcKind.Response)
                {
                    return "response delivered";
                }
            }

            if (read.Events.Count == 0)
            {
                if (!read.IsContinuous)
                {
                    return "stream expired";
                }

                if (waited)
                {
                    // Idle: keep proxies from closing the stream, and end it once the session is gone.
                    var lookup = await sessions.GetAsync(session.Record.Id, session.Caller.PrincipalId, cancellationToken).ConfigureAwait(false);
                    if (lookup.Status != SessionLookupStatus.Found)
                    {
                        return "session ended";
                    }

                    await sse.WriteKeepAliveAsync(cancellationToken).ConfigureAwait(false);
                }
            }

            read = await events.WaitAfterAsync(session.Record.Id, stream, position, BatchSize, keepAlive, cancellationToken).ConfigureAwait(false);
            waited = true;
        }

        return "client left";
    }
}
