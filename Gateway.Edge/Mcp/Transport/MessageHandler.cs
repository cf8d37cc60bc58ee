using System.Collections.Concurrent;
using System.Text;
using McpPlatform.Gateway.Edge.Access;
using McpPlatform.Gateway.Edge.Mcp.Relay;
using McpPlatform.Gateway.Edge.Mcp.Sessions;
using McpPlatform.Protocol.JsonRpc;
using McpPlatform.Stores.Sessions;

namespace McpPlatform.Gateway.Edge.Mcp.Transport;

/// <summary>
/// One JSON-RPC message of a POST: 1. <c>initialize</c> opens a session (<see cref="InitializeHandler"/>); anything
/// else needs the session (missing 400, unknown or another principal's 404); 2. the call policy sees every request
/// and notification; 3. responses and notifications are answered 202; requests are relayed (shared/tenant: one
/// Dispatch.Relay call each; session isolation: the session's link) or answered here (<c>ping</c> in shared mode).
/// </summary>
internal sealed class MessageHandler(
    SessionCache sessions,
    InitializeHandler initialize,
    SharedRelay relay,
    SessionHub hub,
    ICallPolicy policy,
    IUsageSink usage,
    TimeProvider time)
{
    private readonly ConcurrentDictionary<string, byte> _inFlight = new(StringComparer.Ordinal);

    /// <summary>Handles the message and writes the answer; returns the method (for metrics).</summary>
    public async Task<string> HandleAsync(IncomingCall call, ReadOnlyMemory<byte> message, JsonRpcEnvelope envelope)
    {
        var http = call.Http;
        var method = envelope.Kind == JsonRpcKind.Response ? "response" : envelope.GetMethod(message.Span) ?? "unknown";
        var name = method is "tools/call" or "prompts/get" ? envelope.GetParamsName(message.Span) : null;
        if (envelope.Kind == JsonRpcKind.Request && method == "initialize")
        {
            if (await policy.AuthorizeAsync(call.Caller, call.Server.Name, method, null, http.RequestAborted).ConfigureAwait(false) is { } refused)
            {
                await McpResults.DenialAsync(http, refused, envelope.RawId(message.Span), call.Server.Name).ConfigureAwait(false);
                return method;
            }

            await initialize.HandleAsync(call, message, envelope).ConfigureAwait(false);
            return method;
        }

        var sessionId = http.Request.Headers["Mcp-Session-Id"].ToString();
        if (sessionId.Length == 0)
        {
            await McpResults.ErrorAsync(http, StatusCodes.Status400BadRequest, envelope.RawId(message.Span), JsonRpcErrorCodes.InvalidRequest, "Mcp-Session-Id is required: send initialize first and echo the session id it returns.", "missing_session", call.Server.Name).ConfigureAwait(false);
            return method;
        }

        var session = SessionIds.IsWellFormed(sessionId) ? await sessions.GetAsync(sessionId, call.Caller.PrincipalId, http.RequestAborted).ConfigureAwait(false) : default;
        if (session.Status != SessionLookupStatus.Found || session.Session!.Server != call.Server.Name)
        {
            await McpResults.ErrorAsync(http, StatusCodes.Status404NotFound, envelope.RawId(message.Span), JsonRpcErrorCodes.InvalidRequest, "The session does not exist or has ended: initialize a new one.", "unknown_session", call.Server.Name).ConfigureAwait(false);
            return method;
        }

        var post = new PostContext
        {
            Http = http,
            Caller = call.Caller,
            Server = call.Server,
            SessionId = sessionId,
            ProtocolVersion = session.Session.ProtocolVersion ?? ProtocolVersions.Default,
            Message = message,
            Envelope = envelope,
            Method = method,
            Name = name,
            StartedAt = call.StartedAt,
        };

        if (envelope.Kind == JsonRpcKind.Response)
        {
            // Answers to server-to-client requests: only a session-isolation server can have asked.
            if (post.IsSessionMode)
            {
                await hub.SendAsync(post).ConfigureAwait(false);
            }

            http.Response.StatusCode = StatusCodes.Status202Accepted;
            return method;
        }

        if (await policy.AuthorizeAsync(call.Caller, call.Server.Name, method, name, http.RequestAborted).ConfigureAwait(false) is { } denial)
        {
            await McpResults.DenialAsync(http, denial, envelope.RawId(message.Span), call.Server.Name).ConfigureAwait(false);
            return method;
        }

        if (envelope.Kind == JsonRpcKind.Notification)
        {
            await NotifyAsync(post).ConfigureAwait(false);
            http.Response.StatusCode = StatusCodes.Status202Accepted;
            return method;
        }

        await RequestAsync(post).ConfigureAwait(false);
        return method;
    }

    private async Task NotifyAsync(PostContext post)
    {
        if (post.IsSessionMode)
        {
            await hub.SendAsync(post).ConfigureAwait(false);
        }
        else if (post.Method != "notifications/initialized")
        {
            // In shared mode the worker did the handshake itself: the client's initialized is answered here.
            await relay.NotifyAsync(post).ConfigureAwait(false);
        }
    }

    private async Task RequestAsync(PostContext post)
    {
        var inFlightKey = post.SessionId + "\n" + Encoding.UTF8.GetString(post.RawId);
        if (!_inFlight.TryAdd(inFlightKey, 0))
        {
            await post.ErrorAsync(StatusCodes.Status400BadRequest, JsonRpcErrorCodes.InvalidRequest, "A request with this id is already in flight in this session; use a new id.", "duplicate_request_id").ConfigureAwait(false);
            return;
        }

        try
        {
            RelayOutcome outcome;
            if (!post.IsSessionMode && post.Method == "ping")
            {
                var pong = JsonRpcMessages.Result(post.RawId, "{}"u8);
                await McpResults.JsonAsync(post.Http, StatusCodes.Status200OK, pong).ConfigureAwait(false);
                outcome = new RelayOutcome(StatusCodes.Status200OK, "ok", pong.Length, null);
            }
            else
            {
                var filter = post.Method == "tools/list" ? ToolListFilter.For(policy, post.Caller, post.Server.Name) : null;
                outcome = post.IsSessionMode
                    ? await hub.RequestAsync(post, filter).ConfigureAwait(false)
                    : await relay.RequestAsync(post, filter).ConfigureAwait(false);
            }

            usage.Record(new UsageRecord(post.Caller, post.Server.Name, post.Method, post.Method == "tools/call" ? post.Name : null, post.SessionId,
                time.GetElapsedTime(post.StartedAt), outcome.Status, post.Message.Length, outcome.ResponseBytes, time.GetUtcNow()));
        }
        finally
        {
            _inFlight.TryRemove(inFlightKey, out _);
        }
    }
}
