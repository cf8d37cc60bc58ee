using McpPlatform.Gateway.Edge.Access;
using McpPlatform.Gateway.Edge.Mcp.Catalog;
using McpPlatform.Gateway.Edge.Mcp.Relay;
using McpPlatform.Protocol.JsonRpc;
using Microsoft.Extensions.Options;

namespace McpPlatform.Gateway.Edge.Mcp.Transport;

/// <summary>
/// <c>POST /mcp/{server}</c>: 1. the header rules (Origin 403, Accept 406, Content-Type 415, MCP-Protocol-Version 400);
/// 2. authentication (every request: sessions never authenticate); 3. the server must be in the catalog (404);
/// 4. the body, bounded (413) and parsed once (400 with -32700 or -32600); 5. one message, or a batch for 2025-03-26
/// sessions, handed to <see cref="MessageHandler"/>. Nothing that fails a check reaches the dispatcher.
/// </summary>
internal sealed class PostHandler(
    OriginPolicy origins,
    ICallerAuthenticator authenticator,
    ServerCatalog catalog,
    MessageHandler messages,
    BatchHandler batches,
    McpMetrics metrics,
    IOptions<McpOptions> options,
    TimeProvider time,
    ILogger<PostHandler> logger)
{
    public async Task HandleAsync(HttpContext http, string server)
    {
        var started = time.GetTimestamp();
        var method = "unknown";
        try
        {
            method = await HandleCoreAsync(http, server, started).ConfigureAwait(false);
        }
        finally
        {
            metrics.Request(server, method, http.Response.StatusCode, time.GetElapsedTime(started));
        }
    }

    private async Task<string> HandleCoreAsync(HttpContext http, string server, long started)
    {
        var request = http.Request;
        if (Stateless.StatelessRevision.Claims(request))
        {
            return await http.RequestServices.GetRequiredService<Stateless.StatelessHandler>().HandleAsync(http, server, started).ConfigureAwait(false);
        }

        if (!origins.IsAllowed(request))
        {
            await RefuseAsync(http, server, StatusCodes.Status403Forbidden, JsonRpcErrorCodes.InvalidRequest, "The Origin header is not allowed for this MCP endpoint.", "origin_not_allowed").ConfigureAwait(false);
            return "unknown";
        }

        if (!HeaderChecks.AcceptsJsonAndSse(request))
        {
            await RefuseAsync(http, server, StatusCodes.Status406NotAcceptable, JsonRpcErrorCodes.InvalidRequest, "Accept must list both application/json and text/event-stream.", "not_acceptable").ConfigureAwait(false);
            return "unknown";
        }

        if (!HeaderChecks.IsJsonContent(request))
        {
            await RefuseAsync(http, server, StatusCodes.Status415UnsupportedMediaType, JsonRpcErrorCodes.InvalidRequest, "Content-Type must be application/json (UTF-8).", "unsupported_media_type").ConfigureAwait(false);
            return "unknown";
        }

        var versionHeader = request.Headers["MCP-Protocol-Version"].ToString();
        if (versionHeader.Length > 0 && !ProtocolVersions.IsSupported(versionHeader))
        {
            await RefuseAsync(http, server, StatusCodes.Status400BadRequest, JsonRpcErrorCodes.InvalidRequest, $"Unsupported MCP-Protocol-Version; this gateway speaks 2025-03-26, 2025-06-18 and {ProtocolVersions.Latest}.", "unsupported_protocol_version").ConfigureAwait(false);
            return "unknown";
        }

        var auth = await authenticator.AuthenticateAsync(http, server, http.RequestAborted).ConfigureAwait(false);
        if (auth.Caller is not { } caller)
        {
            Log.Refused(logger, auth.Denial!.StatusCode, auth.Denial.Reason, server);
            await McpResults.DenialAsync(http, auth.Denial, default, server).ConfigureAwait(false);
            return "unknown";
        }

        if (await catalog.FindAsync(server, http.RequestAborted).ConfigureAwait(false) is not { } entry)
        {
            await RefuseAsync(http, server, StatusCodes.Status404NotFound, JsonRpcErrorCodes.InvalidParams, $"There is no MCP server named '{server}'; GET /mcp lists the servers you may use.", "unknown_server").ConfigureAwait(false);
            return "unknown";
        }

        using var body = await BodyReader.ReadAsync(request, options.Value.MaxMessageBytes, http.RequestAborted).ConfigureAwait(false);
        if (body is null)
        {
            await RefuseAsync(http, server, StatusCodes.Status413PayloadTooLarge, JsonRpcErrorCodes.InvalidRequest, $"The message is larger than {options.Value.MaxMessageBytes} bytes.", "message_too_large").ConfigureAwait(false);
            return "unknown";
        }

        var message = body.Memory;
        var call = new IncomingCall(http, caller, entry, versionHeader.Length > 0 ? versionHeader : null, started);
        if (JsonRpcSyntax.LooksLikeBatch(message.Span))
        {
            await batches.HandleAsync(call, message).ConfigureAwait(false);
            return "batch";
        }

        var envelope = JsonRpcEnvelope.Parse(message.Span);
        if (envelope.Kind == JsonRpcKind.Invalid || !envelope.HasVersion)
        {
            var wellFormed = JsonRpcSyntax.IsWellFormedJson(message.Span);
            await RefuseAsync(http, server, StatusCodes.Status400BadRequest,
                wellFormed ? JsonRpcErrorCodes.InvalidRequest : JsonRpcErrorCodes.ParseError,
                wellFormed ? "The body is not a JSON-RPC 2.0 request, notification or response." : "The body is not valid UTF-8 JSON.",
                wellFormed ? "invalid_request" : "parse_error",
                wellFormed ? envelope.RawId(message.Span) : default).ConfigureAwait(false);
            return "unknown";
        }

        return await messages.HandleAsync(call, message, envelope).ConfigureAwait(false);
    }

    private Task RefuseAsync(HttpContext http, string server, int status, int code, string message, string reason, ReadOnlySpan<byte> rawId = default)
    {
        Log.Refused(logger, status, reason, server);
        return McpResults.ErrorAsync(http, status, rawId, code, message, reason, server);
    }
}
