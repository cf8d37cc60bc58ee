using McpPlatform.Gateway.Edge.Access;
using McpPlatform.Gateway.Edge.Mcp.Catalog;
using McpPlatform.Gateway.Edge.Mcp.Sessions;
using McpPlatform.Gateway.Edge.Mcp.Transport;
using McpPlatform.Protocol.JsonRpc;
using McpPlatform.Stores.Events;
using McpPlatform.Stores.Sessions;
using Microsoft.Extensions.Options;

namespace McpPlatform.Gateway.Edge.Mcp.Sse;

/// <summary>
/// <c>GET /mcp/{server}</c>: the session's standalone stream, served from the session's event log, so any replica can
/// serve it. 1. the same header, credential and session checks as a POST; 2. <c>Last-Event-ID</c> names a stream and a
/// position (malformed: 400): the <c>get</c> stream resumes after it and goes on live; a POST's stream is resumed by
/// <see cref="PostStreamReplay"/> up to its response (not in this session's log: 404); 3. a priming event for 2025-11-25 clients; 4. events as they are appended, a keepalive comment after each
/// idle <see cref="McpOptions.KeepAliveInterval"/>, and the end when the session does.
/// </summary>
internal sealed class GetStreamHandler(
    OriginPolicy origins,
    ICallerAuthenticator authenticator,
    ServerCatalog catalog,
    SessionCache sessions,
    ISessionEventLog events,
    McpMetrics metrics,
    IOptions<McpOptions> options,
    ILogger<GetStreamHandler> logger)
{
    private const int BatchSize = PostStreamReplay.BatchSize;

    public async Task HandleAsync(HttpContext http, string server)
    {
        var found = await SessionGate.CheckAsync(http, server, origins, authenticator, catalog, sessions, requireSse: true).ConfigureAwait(false);
        if (found is not { } session)
        {
            return;
        }

        var stream = SessionHub.GetStream;
        string? position = null;
        var lastEventId = http.Request.Headers["Last-Event-ID"].ToString();
        if (lastEventId.Length > 0)
        {
            if (!SseEventId.TryParse(lastEventId, out var lastStream, out var lastEntry))
            {
                await McpResults.ErrorAsync(http, StatusCodes.Status400BadRequest, default, JsonRpcErrorCodes.InvalidRequest, "Last-Event-ID is not an event id of this server (<stream>/<ms>-<n>).", "bad_last_event_id", server).ConfigureAwait(false);
                return;
            }

            (stream, position) = (lastStream, lastEntry);
        }

        var ct = http.RequestAborted;
        PostStreamReplay? replay = null;
        EventReadResult? first = null;
        if (stream != SessionHub.GetStream)
        {
            replay = new PostStreamReplay(events, sessions, options.Value.KeepAliveInterval);
            first = await replay.FirstAsync(session.Record.Id, stream, position!, ct).ConfigureAwait(false);
            if (PostStreamReplay.IsUnknown(first))
            {
                await McpResults.ErrorAsync(http, StatusCodes.Status404NotFound, default, JsonRpcErrorCodes.InvalidRequest, "Last-Event-ID names no stream of this session (unknown, another session's, or expired): its events are gone. The session itself is still open.", "unknown_stream", server).ConfigureAwait(false);
                return;
            }
        }

        var kind = replay is null ? "get" : "resume";
        var sse = new SseWriter(http.Response);
        metrics.SseOpened(kind);
        var reason = "client left";
        try
        {
            await sse.StartAsync(ct).ConfigureAwait(false);
            if (ProtocolVersions.Primes(session.Record.ProtocolVersion))
            {
                await sse.WriteEventAsync(SseEventId.Format(stream, position ?? "0-0"), default, options.Value.SseRetry, ct).ConfigureAwait(false);
            }
            else
            {
                await sse.WriteKeepAliveAsync(ct).ConfigureAwait(false);
            }

            reason = replay is null
                ? await PumpAsync(sse, session, stream, position, ct).ConfigureAwait(false)
                : await replay.PumpAsync(sse, session, stream, position!, first!, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
        }
        finally
        {
            metrics.SseClosed(kind);
            if (replay is null)
            {
                Log.GetStreamEnded(logger, session.Record.Id, reason);
            }
            else
            {
                SseLog.PostStreamResumeEnded(logger, session.Record.Id, stream, reason);
            }
        }
    }

    private async Task<string> PumpAsync(SseWriter sse, SessionGate.Found session, string stream, string? position, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            var read = await events.WaitAfterAsync(session.Record.Id, stream, position, BatchSize, options.Value.KeepAliveInterval, ct).ConfigureAwait(false);
            foreach (var item in read.Events)
            {
                position = item.Id;
                await sse.WriteEventAsync(SseEventId.Format(stream, item.Id), item.Message.Span, null, ct).ConfigureAwait(false);
            }

            if (read.Events.Count > 0)
            {
                continue;
            }

            // Idle: keep proxies from closing the stream, and end it once the session is gone.
            var lookup = await sessions.GetAsync(session.Record.Id, session.Caller.PrincipalId, ct).ConfigureAwait(false);
            if (lookup.Status != SessionLookupStatus.Found)
            {
                return "session ended";
            }

            await sse.WriteKeepAliveAsync(ct).ConfigureAwait(false);
        }

        return "client left";
    }
}
