using McpPlatform.Contracts.Common.V1;
using McpPlatform.Gateway.Edge.Access;
using McpPlatform.Gateway.Edge.Mcp.Catalog;
using McpPlatform.Gateway.Edge.Mcp.Relay;
using McpPlatform.Gateway.Edge.Mcp.Transport;
using McpPlatform.Stores.Events;

namespace McpPlatform.Gateway.Edge.Mcp.Sessions;

/// <summary>
/// <c>DELETE /mcp/{server}</c>: ends the caller's session (404 when unknown): a session-isolation server's slot is
/// released, the record and every event stream of the session are deleted; 204.
/// </summary>
internal sealed class DeleteHandler(
    OriginPolicy origins,
    ICallerAuthenticator authenticator,
    ServerCatalog catalog,
    SessionCache sessions,
    SessionHub hub,
    ISessionEventLog events,
    McpMetrics metrics,
    ILogger<DeleteHandler> logger)
{
    public async Task HandleAsync(HttpContext http, string server)
    {
        var found = await SessionGate.CheckAsync(http, server, origins, authenticator, catalog, sessions, requireSse: false).ConfigureAwait(false);
        if (found is null)
        {
            return;
        }

        var record = found.Record;
        if (!await sessions.DeleteAsync(record.Id, found.Caller.PrincipalId, CancellationToken.None).ConfigureAwait(false))
        {
            await McpResults.ErrorAsync(http, StatusCodes.Status404NotFound, default, McpPlatform.Protocol.JsonRpc.JsonRpcErrorCodes.InvalidRequest, "The session does not exist or has ended.", "unknown_session", server).ConfigureAwait(false);
            return;
        }

        if (found.Server.Isolation == Isolation.Session)
        {
            await hub.CloseAsync(new PostContext
            {
                Http = http, Caller = found.Caller, Server = found.Server, SessionId = record.Id,
                ProtocolVersion = record.ProtocolVersion ?? ProtocolVersions.Default,
                Message = ReadOnlyMemory<byte>.Empty, Envelope = default, Method = "delete", StartedAt = 0,
            }).ConfigureAwait(false);
        }

        await events.DeleteSessionAsync(record.Id, CancellationToken.None).ConfigureAwait(false);
        metrics.SessionEnded(server);
        Log.SessionEnded(logger, record.Id, server, "deleted by the client");
        http.Response.StatusCode = StatusCodes.Status204NoContent;
    }
}
