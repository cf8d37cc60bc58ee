using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using McpPlatform.Contracts.Common.V1;
using McpPlatform.Contracts.Dispatch.V1;
using McpPlatform.Gateway.Edge.Access;
using McpPlatform.Gateway.Edge.Mcp.Relay;
using McpPlatform.Gateway.Edge.Mcp.Sessions;
using McpPlatform.Gateway.Edge.Mcp.Transport;
using McpPlatform.Stores.Sessions;
using Microsoft.Extensions.Options;

namespace McpPlatform.Gateway.Edge.Mcp.Stateless;

/// <summary>
/// A session of its own for one 2026-07-28 request on a session-isolation server: a Dispatch.Session stream (a
/// process leased to it alone), then the initialize-era handshake made with what the request's <c>_meta</c> says
/// (client capabilities, so the server offers what this client can answer, e.g. sampling tools; client info). The
/// session is never stored or announced: only the call that opened it (and its retries) can reach it.
/// </summary>
internal sealed class PrivateSession(DispatcherClient dispatcher, IOptions<StatelessOptions> options, IHostApplicationLifetime lifetime, ILogger<PrivateSession> logger)
{
    private static readonly byte[] InitializeId = "\"gw-initialize\""u8.ToArray();
    private static readonly byte[] Initialized = """{"jsonrpc":"2.0","method":"notifications/initialized"}"""u8.ToArray();

    /// <summary>The ready session and the server's InitializeResult, or why there is none (<see cref="Opened.Busy"/>, or a refusal).</summary>
    public async Task<Opened> OpenAsync(HttpContext http, Caller caller, CatalogServer entry, StatelessRequest request, CancellationToken cancellationToken)
    {
        var sessionId = SessionIds.New();
        var call = dispatcher.Dispatch.Session(cancellationToken: lifetime.ApplicationStopping);
        try
        {
            await call.RequestStream.WriteAsync(new SessionClientFrame
            {
                // Idle longer than the input timeout: the gateway closes a waiting call itself, the worker must not first.
                Open = new SessionOpen { Route = Route(http, caller, entry, sessionId, UpstreamVersion(entry.ProtocolVersion)), Resume = false, IdleTimeout = Duration.FromTimeSpan(options.Value.InputTimeout + TimeSpan.FromMinutes(1)) },
            }, cancellationToken).ConfigureAwait(false);
            if (!await call.ResponseStream.MoveNext(cancellationToken).ConfigureAwait(false) || call.ResponseStream.Current.FrameCase != SessionServerFrame.FrameOneofCase.Opened)
            {
                var busy = call.ResponseStream.Current?.Busy;
                call.Dispose();
                return new Opened(null, null, busy, "no session slot came free, or the process did not start");
            }
        }
        catch (Exception ex) when (ex is RpcException or OperationCanceledException)
        {
            StatelessLog.BridgeFailed(logger, entry.Name, request.Method, ex.Message);
            call.Dispose();
            return new Opened(null, null, null, "the dispatcher is unreachable");
        }

        var link = new SessionLink(sessionId, entry.Name, call, static (_, _) => Task.CompletedTask);
        _ = link.RunAsync(lifetime.ApplicationStopping);
        var handshake = link.Expect(InitializeId, default);
        try
        {
            await link.SendAsync(InitializeMessage(request, entry.ProtocolVersion), cancellationToken).ConfigureAwait(false);
            await foreach (var item in handshake.Messages.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                // Whatever the server says before its InitializeResult belongs to no client request.
                if (!item.IsResponse)
                {
                    continue;
                }

                if (JsonNode.Parse(item.Message.Span)?["result"] is not JsonObject result)
                {
                    break;
                }

                await link.SendAsync(Initialized, cancellationToken).ConfigureAwait(false);
                return new Opened(link, result, null, null);
            }
        }
        catch (Exception ex) when (ex is RpcException or OperationCanceledException or JsonException)
        {
            StatelessLog.BridgeFailed(logger, entry.Name, request.Method, ex.Message);
        }

        link.Forget(handshake);
        await link.CloseAsync("initialize failed", CancellationToken.None).ConfigureAwait(false);
        return new Opened(null, null, null, "the server did not complete initialize");
    }

    private static byte[] InitializeMessage(StatelessRequest request, string upstreamVersion) => JsonSerializer.SerializeToUtf8Bytes(new JsonObject
    {
        ["jsonrpc"] = "2.0",
        ["id"] = "gw-initialize",
        ["method"] = "initialize",
        ["params"] = new JsonObject
        {
            ["protocolVersion"] = UpstreamVersion(upstreamVersion),
            ["capabilities"] = request.Meta?[StatelessRevision.ClientCapabilitiesKey]?.DeepClone() ?? new JsonObject(),
            ["clientInfo"] = request.Meta?[StatelessRevision.ClientInfoKey]?.DeepClone() ?? new JsonObject { ["name"] = "mcpplatform-gateway", ["version"] = "1.0.0" },
        },
    });

    /// <summary>An initialize-era server knows no 2026-07-28: the catalog's revision, else the newest sessionful one.</summary>
    private static string UpstreamVersion(string catalogVersion) => ProtocolVersions.IsSupported(catalogVersion) ? catalogVersion : ProtocolVersions.V20251125;

    private static McpPlatform.Contracts.Common.V1.Route Route(HttpContext http, Caller caller, CatalogServer entry, string sessionId, string version) => new()
    {
        Server = entry.Name,
        TenantId = caller.TenantId,
        PrincipalId = caller.PrincipalId,
        KeyId = caller.KeyId ?? string.Empty,
        SessionId = sessionId,
        ProtocolVersion = version,
        PlanId = caller.Plan.PlanId,
        PlanMaxConcurrency = caller.Plan.MaxConcurrentJobs,
        CorrelationId = System.Diagnostics.Activity.Current?.TraceId.ToString() ?? http.TraceIdentifier,
    };

    internal readonly record struct Opened(SessionLink? Link, JsonObject? InitializeResult, Busy? Busy, string? Problem);
}
