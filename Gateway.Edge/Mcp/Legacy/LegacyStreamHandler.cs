using Grpc.Core;
using McpPlatform.Contracts.Common.V1;
using McpPlatform.Gateway.Edge.Access;
using McpPlatform.Gateway.Edge.Mcp.Catalog;
using McpPlatform.Gateway.Edge.Mcp.Relay;
using McpPlatform.Gateway.Edge.Mcp.Sessions;
using McpPlatform.Gateway.Edge.Mcp.Transport;
using McpPlatform.Protocol.JsonRpc;
using McpPlatform.Stores.Events;
using McpPlatform.Stores.Sessions;
using Microsoft.Extensions.Options;

namespace McpPlatform.Gateway.Edge.Mcp.Legacy;

/// <summary>
/// <c>GET /sse/{server}</c>, the 2024-11-05 HTTP+SSE transport: 1. Origin (403), Accept (406), credentials, the server
/// (404), the policy's consent and the plan's maximum open sessions (429 <c>session_limit</c>); 2. a session record
/// bound to the caller, and for a session-isolation
/// server its upstream link (no free slot: 429); 3. the <c>endpoint</c> event; 4. client messages from this replica's
/// POSTs and from the session's event log (other replicas' POSTs), a keepalive comment after each idle
/// <see cref="McpOptions.KeepAliveInterval"/>; 5. when the stream ends, so does the session (record, log, slot).
/// </summary>
internal sealed class LegacyStreamHandler(
    OriginPolicy origins,
    ICallerAuthenticator authenticator,
    ICallPolicy policy,
    ServerCatalog catalog,
    SessionCache sessions,
    ISessionStore store,
    ISessionEventLog events,
    LegacySessionRegistry registry,
    LegacyRelay relay,
    DispatcherClient dispatcher,
    McpMetrics metrics,
    IOptions<McpOptions> options,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILogger<LegacyStreamHandler> logger)
{
    private const int BatchSize = 64;

    public async Task HandleAsync(HttpContext http, string server)
    {
        if (!origins.IsAllowed(http.Request))
        {
            await RefuseAsync(http, server, StatusCodes.Status403Forbidden, "The Origin header is not allowed for this MCP endpoint.", "origin_not_allowed").ConfigureAwait(false);
            return;
        }

        if (!HeaderChecks.AcceptsSse(http.Request))
        {
            await RefuseAsync(http, server, StatusCodes.Status406NotAcceptable, "Accept must list text/event-stream.", "not_acceptable").ConfigureAwait(false);
            return;
        }

        var auth = await authenticator.AuthenticateAsync(http, server, http.RequestAborted).ConfigureAwait(false);
        if (auth.Caller is not { } caller)
        {
            LegacyLog.Refused(logger, auth.Denial!.StatusCode, auth.Denial.Reason, server);
            await McpResults.DenialAsync(http, auth.Denial, default, server).ConfigureAwait(false);
            return;
        }

        if (await catalog.FindAsync(server, http.RequestAborted).ConfigureAwait(false) is not { } entry)
        {
            await RefuseAsync(http, server, StatusCodes.Status404NotFound, $"There is no MCP server named '{server}'; GET /mcp lists the servers you may use.", "unknown_server").ConfigureAwait(false);
            return;
        }

        if (await policy.AuthorizeAsync(caller, server, "initialize", null, http.RequestAborted).ConfigureAwait(false) is { } denial)
        {
            await McpResults.DenialAsync(http, denial, default, server).ConfigureAwait(false);
            return;
        }

        // The plan's maximum open sessions, counted in the shared store as Streamable HTTP's initialize counts them.
        if (caller.Plan.MaxOpenSessions > 0
            && policy.AuthorizeNewSession(caller, await store.CountAsync(caller.PrincipalId, http.RequestAborted).ConfigureAwait(false)) is { } capped)
        {
            await McpResults.DenialAsync(http, capped, default, server).ConfigureAwait(false);
            return;
        }

        var record = new SessionRecord
        {
            Id = SessionIds.New(),
            Principal = caller.PrincipalId,
            Server = server,
            ProtocolVersion = LegacyRevision.Version,
            CreatedAt = time.GetUtcNow(),
            Attributes = new Dictionary<string, string> { [LegacyRevision.TransportAttribute] = LegacyRevision.TransportName },
        };
        await sessions.CreateAsync(record, http.RequestAborted).ConfigureAwait(false);
        using var ended = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, lifetime.ApplicationStopping);
        var session = new LegacySession(record.Id, caller, entry, http, ended.Token);
        var reason = "client left";
        var opened = false;
        LegacyLink? link = null;
        try
        {
            if (entry.Isolation == Isolation.Session && (link = await OpenLinkAsync(session).ConfigureAwait(false)) is null)
            {
                reason = "no session slot";
                return;
            }

            registry.Add(session);
            opened = true;
            metrics.SessionOpened(server);
            metrics.SseOpened("legacy");
            LegacyLog.Opened(logger, record.Id, server, entry.Isolation.ToString());
            reason = await RunAsync(session, link, ended).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
        }
        finally
        {
            registry.Remove(session);
            session.Complete();
            if (link is not null)
            {
                await link.CloseAsync("legacy stream closed").ConfigureAwait(false);
            }

            if (opened)
            {
                metrics.SseClosed("legacy");
                metrics.SessionEnded(server);
            }

            await sessions.DeleteAsync(record.Id, caller.PrincipalId, CancellationToken.None).ConfigureAwait(false);
            await events.DeleteSessionAsync(record.Id, CancellationToken.None).ConfigureAwait(false);
            LegacyLog.Ended(logger, record.Id, server, reason);
        }
    }

    private async Task<string> RunAsync(LegacySession session, LegacyLink? link, CancellationTokenSource ended)
    {
        var ct = ended.Token;
        await session.StartAsync().ConfigureAwait(false);
        await session.EndpointAsync(LegacyRevision.MessagesPath(session.Http.Request, session.Server.Name, session.Id)).ConfigureAwait(false);
        var upstreamEnded = false;
        var upstream = link is null ? Task.CompletedTask : Task.Run(async () =>
        {
            await link.RunAsync(session.MessageAsync, ct).ConfigureAwait(false);
            upstreamEnded = true;
            await ended.CancelAsync().ConfigureAwait(false);
        }, CancellationToken.None);
        var local = Task.Run(async () =>
        {
            await foreach (var message in session.Local.ReadAllAsync(ct).ConfigureAwait(false))
            {
                await relay.AcceptAsync(session, link, message).ConfigureAwait(false);
            }
        }, CancellationToken.None);

        try
        {
            // Messages POSTed on other replicas come through the session's event log.
            string? position = null;
            while (!ct.IsCancellationRequested)
            {
                var read = await events.WaitAfterAsync(session.Id, LegacyRevision.InboundStream, position, BatchSize, options.Value.KeepAliveInterval, ct).ConfigureAwait(false);
                foreach (var item in read.Events)
                {
                    position = item.Id;
                    await relay.AcceptAsync(session, link, item.Message.ToArray()).ConfigureAwait(false);
                }

                if (read.Events.Count == 0)
                {
                    await session.KeepAliveAsync().ConfigureAwait(false);
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
        }

        await ended.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(upstream, local.ContinueWith(_ => { }, TaskScheduler.Default)).ConfigureAwait(false);
        return upstreamEnded ? "the server ended the session" : lifetime.ApplicationStopping.IsCancellationRequested ? "gateway stopping" : "client left";
    }

    private async Task<LegacyLink?> OpenLinkAsync(LegacySession session)
    {
        var http = session.Http;
        var route = new PostContext
        {
            Http = http, Caller = session.Caller, Server = session.Server, SessionId = session.Id, ProtocolVersion = LegacyRevision.Version,
            Message = ReadOnlyMemory<byte>.Empty, Envelope = default, Method = "initialize",
        }.Route();
        try
        {
            var (link, busy) = await LegacyLink.OpenAsync(dispatcher, route, options.Value.SessionIdleTimeout, session.Ended).ConfigureAwait(false);
            if (link is null)
            {
                http.Response.Headers.RetryAfter = McpResults.RetryAfterSeconds(busy?.RetryAfter?.ToTimeSpan() ?? TimeSpan.FromSeconds(1));
                await RefuseAsync(http, session.Server.Name, StatusCodes.Status429TooManyRequests, busy?.Message is { Length: > 0 } m ? m : $"'{session.Server.Name}' has no free session slot; retry later.", "busy").ConfigureAwait(false);
            }

            return link;
        }
        catch (RpcException ex)
        {
            LegacyLog.RelayFailed(logger, session.Server.Name, "open", ex.Status.Detail);
            await RefuseAsync(http, session.Server.Name, StatusCodes.Status503ServiceUnavailable, "The dispatcher is unavailable; retry shortly.", "dispatcher_unavailable").ConfigureAwait(false);
            return null;
        }
    }

    private Task RefuseAsync(HttpContext http, string server, int status, string message, string reason)
    {
        LegacyLog.Refused(logger, status, reason, server);
        return McpResults.ErrorAsync(http, status, default, status == StatusCodes.Status429TooManyRequests ? JsonRpcErrorCodes.Busy : JsonRpcErrorCodes.InvalidRequest, message, reason, server);
    }
}
