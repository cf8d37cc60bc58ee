using System.Text.Json;
using System.Text.Json.Nodes;
using McpPlatform.Gateway.Edge.Access;
using McpPlatform.Gateway.Edge.Mcp.Relay;
using McpPlatform.Gateway.Edge.Mcp.Transport;
using McpPlatform.Protocol.JsonRpc;
using McpPlatform.Stores.Sessions;

namespace McpPlatform.Gateway.Edge.Mcp.Sessions;

/// <summary>
/// <c>initialize</c> opens a session: 1. a new unguessable id, stored bound to the caller's principal, the server and
/// the revision; 2. shared/tenant servers: relayed (the worker answers from its own handshake with the process) and the
/// result's <c>protocolVersion</c> set to the revision negotiated with the client (the gateway bridges revisions);
/// session-isolation servers: the session's link is opened and the server's own answer goes back unchanged;
/// 3. <c>Mcp-Session-Id</c> on the response; a failed initialize leaves no session behind. Before all that, the plan's
/// maximum open sessions (counted in the shared store, so across replicas) may refuse it with a 429.
/// </summary>
internal sealed class InitializeHandler(SessionCache sessions, ISessionStore store, ICallPolicy policy, SharedRelay relay, SessionHub hub, McpMetrics metrics, TimeProvider time, ILogger<InitializeHandler> logger)
{
    public async Task HandleAsync(IncomingCall call, ReadOnlyMemory<byte> message, JsonRpcEnvelope envelope)
    {
        if (call.Caller.Plan.MaxOpenSessions > 0
            && policy.AuthorizeNewSession(call.Caller, await store.CountAsync(call.Caller.PrincipalId, call.Http.RequestAborted).ConfigureAwait(false)) is { } denial)
        {
            await McpResults.DenialAsync(call.Http, denial, envelope.RawId(message.Span), call.Server.Name).ConfigureAwait(false);
            return;
        }

        var negotiated = ProtocolVersions.Negotiate(RequestedVersion(message.Span));
        var record = new SessionRecord
        {
            Id = SessionIds.New(),
            Principal = call.Caller.PrincipalId,
            Server = call.Server.Name,
            ProtocolVersion = negotiated,
            CreatedAt = time.GetUtcNow(),
        };
        await sessions.CreateAsync(record, call.Http.RequestAborted).ConfigureAwait(false);

        var post = new PostContext
        {
            Http = call.Http,
            Caller = call.Caller,
            Server = call.Server,
            SessionId = record.Id,
            ProtocolVersion = negotiated,
            Message = message,
            Envelope = envelope,
            Method = "initialize",
            StartedAt = call.StartedAt,
        };

        var ok = false;
        RelayOutcome outcome;
        if (post.IsSessionMode)
        {
            outcome = await hub.OpenAsync(post, response =>
            {
                ok = !JsonRpcEnvelope.Parse(response.Span).IsError;
                if (ok)
                {
                    call.Http.Response.Headers["Mcp-Session-Id"] = record.Id;
                }

                return response;
            }).ConfigureAwait(false);
        }
        else
        {
            outcome = await relay.RequestAsync(post, response =>
            {
                ok = !JsonRpcEnvelope.Parse(response.Span).IsError;
                if (!ok)
                {
                    return response;
                }

                call.Http.Response.Headers["Mcp-Session-Id"] = record.Id;
                return WithVersion(response, negotiated);
            }).ConfigureAwait(false);
        }

        if (ok)
        {
            metrics.SessionOpened(call.Server.Name);
            Log.SessionOpened(logger, record.Id, call.Server.Name, negotiated, call.Server.Isolation.ToString());
        }
        else
        {
            await sessions.DeleteAsync(record.Id, record.Principal, CancellationToken.None).ConfigureAwait(false);
        }

        _ = outcome;
    }

    /// <summary><c>params.protocolVersion</c>; initialize is once per session, so a small scan is fine here.</summary>
    internal static string? RequestedVersion(ReadOnlySpan<byte> message)
    {
        try
        {
            var reader = new Utf8JsonReader(message);
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 2 && reader.ValueTextEquals("protocolVersion"u8))
                {
                    reader.Read();
                    return reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                }
            }
        }
        catch (JsonException)
        {
        }

        return null;
    }

    /// <summary>The initialize result with <c>protocolVersion</c> set to the revision negotiated with the client (also the legacy transport's).</summary>
    internal static ReadOnlyMemory<byte> WithVersion(ReadOnlyMemory<byte> response, string version)
    {
        if (JsonNode.Parse(response.Span) is not JsonObject root || root["result"] is not JsonObject result)
        {
            return response;
        }

        if (result["protocolVersion"]?.GetValueKind() == JsonValueKind.String && result["protocolVersion"]!.GetValue<string>() == version)
        {
            return response;
        }

        result["protocolVersion"] = version;
        return JsonSerializer.SerializeToUtf8Bytes(root);
    }
}
