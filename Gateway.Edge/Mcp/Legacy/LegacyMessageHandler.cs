using McpPlatform.Gateway.Edge.Access;
using McpPlatform.Gateway.Edge.Mcp.Catalog;
using McpPlatform.Gateway.Edge.Mcp.Sessions;
using McpPlatform.Gateway.Edge.Mcp.Transport;
using McpPlatform.Protocol.JsonRpc;
using McpPlatform.Stores.Events;
using McpPlatform.Stores.Sessions;
using Microsoft.Extensions.Options;

namespace McpPlatform.Gateway.Edge.Mcp.Legacy;

/// <summary>
/// <c>POST /sse/{server}/messages?sessionId=…</c>, the legacy message endpoint: 1. Origin (403), <c>sessionId</c>
/// (400), Content-Type (415), credentials on every POST, the server (404); 2. the session must be a legacy session of
/// this caller on this server (404 otherwise: another principal's id is as unknown as a made-up one); 3. one JSON-RPC
/// message (400 for bad JSON or a batch); 4. the call policy; 5. handed to the replica holding the stream (directly
/// when that is this one, else through the session's event log) and answered 202: the reply comes on the stream.
/// </summary>
internal sealed class LegacyMessageHandler(
    OriginPolicy origins,
    ICallerAuthenticator authenticator,
    ICallPolicy policy,
    ServerCatalog catalog,
    SessionCache sessions,
    ISessionEventLog events,
    LegacySessionRegistry registry,
    IOptions<McpOptions> options,
    ILogger<LegacyMessageHandler> logger)
{
    public async Task HandleAsync(HttpContext http, string server)
    {
        var request = http.Request;
        if (!origins.IsAllowed(request))
        {
            await RefuseAsync(http, server, StatusCodes.Status403Forbidden, JsonRpcErrorCodes.InvalidRequest, "The Origin header is not allowed for this MCP endpoint.", "origin_not_allowed").ConfigureAwait(false);
            return;
        }

        var sessionId = request.Query["sessionId"].ToString();
        if (sessionId.Length == 0)
        {
            await RefuseAsync(http, server, StatusCodes.Status400BadRequest, JsonRpcErrorCodes.InvalidRequest, "The sessionId query parameter is required: POST to the URL of the stream's endpoint event.", "missing_session").ConfigureAwait(false);
            return;
        }

        if (!HeaderChecks.IsJsonContent(request))
        {
            await RefuseAsync(http, server, StatusCodes.Status415UnsupportedMediaType, JsonRpcErrorCodes.InvalidRequest, "Content-Type must be application/json (UTF-8).", "unsupported_media_type").ConfigureAwait(false);
            return;
        }

        var auth = await authenticator.AuthenticateAsync(http, server, http.RequestAborted).ConfigureAwait(false);
        if (auth.Caller is not { } caller)
        {
            LegacyLog.Refused(logger, auth.Denial!.StatusCode, auth.Denial.Reason, server);
            await McpResults.DenialAsync(http, auth.Denial, default, server).ConfigureAwait(false);
            return;
        }

        if (await catalog.FindAsync(server, http.RequestAborted).ConfigureAwait(false) is null)
        {
            await RefuseAsync(http, server, StatusCodes.Status404NotFound, JsonRpcErrorCodes.InvalidParams, $"There is no MCP server named '{server}'.", "unknown_server").ConfigureAwait(false);
            return;
        }

        var lookup = SessionIds.IsWellFormed(sessionId) ? await sessions.GetAsync(sessionId, caller.PrincipalId, http.RequestAborted).ConfigureAwait(false) : default;
        if (lookup.Status != SessionLookupStatus.Found || lookup.Session!.Server != server ||
            lookup.Session.Attributes.GetValueOrDefault(LegacyRevision.TransportAttribute) != LegacyRevision.TransportName)
        {
            await RefuseAsync(http, server, StatusCodes.Status404NotFound, JsonRpcErrorCodes.InvalidRequest, "The session does not exist or has ended: open a new stream with GET /sse/{server}.", "unknown_session").ConfigureAwait(false);
            return;
        }

        using var body = await BodyReader.ReadAsync(request, options.Value.MaxMessageBytes, http.RequestAborted).ConfigureAwait(false);
        if (body is null)
        {
            await RefuseAsync(http, server, StatusCodes.Status413PayloadTooLarge, JsonRpcErrorCodes.InvalidRequest, $"The message is larger than {options.Value.MaxMessageBytes} bytes.", "message_too_large").ConfigureAwait(false);
            return;
        }

        var message = body.Memory;
        var envelope = JsonRpcSyntax.LooksLikeBatch(message.Span) ? default : JsonRpcEnvelope.Parse(message.Span);
        if (envelope.Kind == JsonRpcKind.Invalid || !envelope.HasVersion)
        {
            var wellFormed = JsonRpcSyntax.IsWellFormedJson(message.Span);
            await RefuseAsync(http, server, StatusCodes.Status400BadRequest, wellFormed ? JsonRpcErrorCodes.InvalidRequest : JsonRpcErrorCodes.ParseError,
                wellFormed ? "The body must be one JSON-RPC 2.0 request, notification or response (no batches)." : "The body is not valid UTF-8 JSON.",
                wellFormed ? "invalid_request" : "parse_error", wellFormed ? envelope.RawId(message.Span) : default).ConfigureAwait(false);
            return;
        }

        if (envelope.Kind != JsonRpcKind.Response)
        {
            var method = envelope.GetMethod(message.Span) ?? string.Empty;
            var name = method is "tools/call" or "prompts/get" ? envelope.GetParamsName(message.Span) : null;
            if (await policy.AuthorizeAsync(caller, server, method, name, http.RequestAborted).ConfigureAwait(false) is { } denial)
            {
                await McpResults.DenialAsync(http, denial, envelope.RawId(message.Span), server).ConfigureAwait(false);
                return;
            }
        }

        // Copied: the pooled body goes back when this POST ends, the message lives on.
        var copy = message.ToArray();
        if (registry.Find(sessionId) is not { } local || !local.Deliver(copy))
        {
            await events.AppendAsync(sessionId, LegacyRevision.InboundStream, copy, http.RequestAborted).ConfigureAwait(false);
        }

        http.Response.StatusCode = StatusCodes.Status202Accepted;
    }

    private Task RefuseAsync(HttpContext http, string server, int status, int code, string message, string reason, ReadOnlySpan<byte> rawId = default)
    {
        LegacyLog.Refused(logger, status, reason, server);
        return McpResults.ErrorAsync(http, status, rawId, code, message, reason, server);
    }
}
