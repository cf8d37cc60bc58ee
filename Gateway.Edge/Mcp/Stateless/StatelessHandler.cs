using McpPlatform.Contracts.Common.V1;
using McpPlatform.Gateway.Edge.Access;
using McpPlatform.Gateway.Edge.Mcp.Catalog;
using McpPlatform.Gateway.Edge.Mcp.Relay;
using McpPlatform.Gateway.Edge.Mcp.Transport;
using McpPlatform.Protocol.JsonRpc;
using Microsoft.Extensions.Options;

namespace McpPlatform.Gateway.Edge.Mcp.Stateless;

/// <summary>
/// A POST of the 2026-07-28 revision on <c>/mcp/{server}</c> (no session, no initialize): 1. Origin, Accept,
/// Content-Type, credentials, the server, the body, as for every POST; 2. the version (400, UnsupportedProtocolVersion
/// with the supported list), <c>Mcp-Method</c>/<c>Mcp-Name</c> and <c>_meta</c> against each other (400,
/// HeaderMismatch), removed methods (404, -32601); 3. the call policy; 4. <c>server/discover</c> from the upstream's
/// initialize result, <c>subscriptions/listen</c> (<see cref="ListenHandler"/>), anything else relayed like a shared
/// session's request and completed with <c>resultType</c> and the cache fields. <c>Mcp-Session-Id</c> is ignored and
/// never minted. Session-isolation servers get a private session per request (<see cref="SessionBridge"/>), which
/// turns their sampling, elicitation and roots requests into multi-round-trip <c>input_required</c> results; a
/// retry that lands on another replica than its waiting call's is sent on to that one (<see cref="ParkedCallForwarder"/>).
/// </summary>
internal sealed class StatelessHandler(
    OriginPolicy origins,
    ICallerAuthenticator authenticator,
    ICallPolicy policy,
    ServerCatalog catalog,
    SharedRelay relay,
    ListenHandler listen,
    SessionBridge bridge,
    ParkedCallForwarder forwarder,
    IUsageSink usage,
    IOptions<McpOptions> mcp,
    IOptions<StatelessOptions> options,
    TimeProvider time)
{
    public async Task<string> HandleAsync(HttpContext http, string server, long started)
    {
        var request = http.Request;
        if (!origins.IsAllowed(request) || !HeaderChecks.AcceptsJsonAndSse(request) || !HeaderChecks.IsJsonContent(request))
        {
            var (status, message) = !origins.IsAllowed(request) ? (StatusCodes.Status403Forbidden, "The Origin header is not allowed for this MCP endpoint.")
                : !HeaderChecks.AcceptsJsonAndSse(request) ? (StatusCodes.Status406NotAcceptable, "Accept must list both application/json and text/event-stream.")
                : (StatusCodes.Status415UnsupportedMediaType, "Content-Type must be application/json (UTF-8).");
            await StatelessResults.ErrorAsync(http, status, null, JsonRpcErrorCodes.InvalidRequest, message).ConfigureAwait(false);
            return "unknown";
        }

        var auth = await authenticator.AuthenticateAsync(http, server, http.RequestAborted).ConfigureAwait(false);
        if (auth.Caller is not { } caller)
        {
            await McpResults.DenialAsync(http, auth.Denial!, default, server).ConfigureAwait(false);
            return "unknown";
        }

        if (await catalog.FindAsync(server, http.RequestAborted).ConfigureAwait(false) is not { } entry)
        {
            await McpResults.ErrorAsync(http, StatusCodes.Status404NotFound, default, JsonRpcErrorCodes.InvalidParams, $"There is no MCP server named '{server}'; GET /mcp lists the servers you may use.", "unknown_server", server).ConfigureAwait(false);
            return "unknown";
        }

        using var body = await BodyReader.ReadAsync(request, mcp.Value.MaxMessageBytes, http.RequestAborted).ConfigureAwait(false);
        if (body is null)
        {
            await McpResults.ErrorAsync(http, StatusCodes.Status413PayloadTooLarge, default, JsonRpcErrorCodes.InvalidRequest, $"The message is larger than {mcp.Value.MaxMessageBytes} bytes.", "message_too_large", server).ConfigureAwait(false);
            return "unknown";
        }

        var envelope = JsonRpcSyntax.LooksLikeBatch(body.Memory.Span) ? default : JsonRpcEnvelope.Parse(body.Memory.Span);
        var parsed = envelope.Kind is JsonRpcKind.Request or JsonRpcKind.Notification && envelope.HasVersion ? StatelessRequest.Parse(body.Memory.Span) : null;
        if (parsed is null)
        {
            var wellFormed = JsonRpcSyntax.IsWellFormedJson(body.Memory.Span);
            await McpResults.ErrorAsync(http, StatusCodes.Status400BadRequest, wellFormed ? envelope.RawId(body.Memory.Span) : default, wellFormed ? JsonRpcErrorCodes.InvalidRequest : JsonRpcErrorCodes.ParseError,
                wellFormed ? "The body must be one JSON-RPC 2.0 request or notification (2026-07-28 has no batches and no client responses)." : "The body is not valid UTF-8 JSON.",
                wellFormed ? "invalid_request" : "parse_error", server).ConfigureAwait(false);
            return "unknown";
        }

        var version = request.Headers["MCP-Protocol-Version"].ToString();
        if (version != StatelessRevision.Version)
        {
            await StatelessResults.UnsupportedVersionAsync(http, parsed.Id, version).ConfigureAwait(false);
            return parsed.Method;
        }

        if (envelope.Kind == JsonRpcKind.Notification)
        {
            // The revision defines no client notifications over HTTP (closing a stream cancels): accepted, not relayed.
            http.Response.StatusCode = StatusCodes.Status202Accepted;
            return parsed.Method;
        }

        if (parsed.HeaderProblem(request, version) is { } problem)
        {
            await StatelessResults.ErrorAsync(http, StatusCodes.Status400BadRequest, parsed.Id, StatelessRevision.HeaderMismatch, problem).ConfigureAwait(false);
            return parsed.Method;
        }

        if (StatelessRevision.IsRemoved(parsed.Method))
        {
            await StatelessResults.ErrorAsync(http, StatusCodes.Status404NotFound, parsed.Id, JsonRpcErrorCodes.MethodNotFound, $"'{parsed.Method}' is not part of revision {StatelessRevision.Version}.").ConfigureAwait(false);
            return parsed.Method;
        }

        // A retry whose waiting call another replica holds is sent on to it before any policy here (it is limited,
        // counted and metered once, there).
        if (entry.Isolation == Isolation.Session && await forwarder.TryForwardAsync(http, parsed, body.Memory).ConfigureAwait(false))
        {
            return parsed.Method;
        }

        var asked = parsed.Method is "server/discover" or "subscriptions/listen" ? "initialize" : parsed.Method;
        if (await policy.AuthorizeAsync(caller, server, asked, parsed.Method == "resources/read" ? null : parsed.Name, http.RequestAborted).ConfigureAwait(false) is { } denial)
        {
            await McpResults.DenialAsync(http, denial, envelope.RawId(body.Memory.Span), server).ConfigureAwait(false);
            return parsed.Method;
        }

        if (entry.Isolation == Isolation.Session && parsed.Method == "subscriptions/listen")
        {
            // Every request gets a process of its own (SessionBridge): there is no server whose changes one could follow.
            await StatelessResults.ErrorAsync(http, StatusCodes.Status400BadRequest, parsed.Id, JsonRpcErrorCodes.InvalidRequest,
                $"'{server}' keeps state per session (session isolation): revision {StatelessRevision.Version} serves each request with a process of its own, so there are no changes to listen to; connect with initialize (2025-11-25) for notifications.").ConfigureAwait(false);
            return parsed.Method;
        }

        if (entry.Isolation == Isolation.Session)
        {
            var outcome = await bridge.HandleAsync(http, caller, entry, parsed).ConfigureAwait(false);
            usage.Record(new UsageRecord(caller, entry.Name, parsed.Method, parsed.Method == "tools/call" ? parsed.Name : null, null,
                time.GetElapsedTime(started), outcome.Status, body.Memory.Length, outcome.ResponseBytes, time.GetUtcNow()));
            return parsed.Method;
        }

        if (parsed.Method == "subscriptions/listen")
        {
            await listen.HandleAsync(http, entry, parsed).ConfigureAwait(false);
            return parsed.Method;
        }

        await RelayAsync(http, caller, entry, parsed, body.Memory, started).ConfigureAwait(false);
        return parsed.Method;
    }

    private async Task RelayAsync(HttpContext http, Caller caller, McpPlatform.Contracts.Dispatch.V1.CatalogServer entry, StatelessRequest parsed, ReadOnlyMemory<byte> original, long started)
    {
        var discover = parsed.Method == "server/discover";
        var upstream = discover ? StatelessResults.InitializeFor(parsed, entry.ProtocolVersion) : parsed.ForUpstream(StatelessRevision.IsModern(entry.ProtocolVersion), original.Span);
        var method = discover ? "initialize" : parsed.Method;
        var post = new PostContext
        {
            Http = http,
            Caller = caller,
            Server = entry,
            ProtocolVersion = entry.ProtocolVersion,
            Message = upstream,
            Envelope = JsonRpcEnvelope.Parse(upstream),
            Method = method,
            Name = method is "tools/call" or "prompts/get" ? parsed.Name : null,
            StartedAt = started,
        };
        var filter = method == "tools/list" ? ToolListFilter.For(policy, caller, entry.Name) : null;
        var settings = options.Value;
        var outcome = await relay.RequestAsync(post, response => discover
            ? StatelessResults.Discover(response, settings)
            : StatelessResults.Complete(filter is null ? response : filter(response), parsed.Method, settings)).ConfigureAwait(false);
        usage.Record(new UsageRecord(caller, entry.Name, parsed.Method, method == "tools/call" ? parsed.Name : null, null,
            time.GetElapsedTime(started), outcome.Status, original.Length, outcome.ResponseBytes, time.GetUtcNow()));
    }
}
