using McpPlatform.Gateway.Edge.Access;
using McpPlatform.Contracts.Dispatch.V1;
using McpPlatform.Gateway.Edge.Mcp.Catalog;
using McpPlatform.Gateway.Edge.Mcp.Transport;
using McpPlatform.Protocol.JsonRpc;
using McpPlatform.Stores.Sessions;

namespace McpPlatform.Gateway.Edge.Mcp.Sessions;

/// <summary>The checks GET and DELETE share: Origin (403), Accept for GET (406), credentials, the server (404), the session (400 missing, 404 unknown).</summary>
internal static class SessionGate
{
    public static async Task<Found?> CheckAsync(HttpContext http, string server, OriginPolicy origins, ICallerAuthenticator authenticator, ServerCatalog catalog, SessionCache sessions, bool requireSse)
    {
        if (!origins.IsAllowed(http.Request))
        {
            await McpResults.ErrorAsync(http, StatusCodes.Status403Forbidden, default, JsonRpcErrorCodes.InvalidRequest, "The Origin header is not allowed for this MCP endpoint.", "origin_not_allowed", server).ConfigureAwait(false);
            return null;
        }

        if (requireSse && !HeaderChecks.AcceptsSse(http.Request))
        {
            await McpResults.ErrorAsync(http, StatusCodes.Status406NotAcceptable, default, JsonRpcErrorCodes.InvalidRequest, "Accept must list text/event-stream.", "not_acceptable", server).ConfigureAwait(false);
            return null;
        }

        var auth = await authenticator.AuthenticateAsync(http, server, http.RequestAborted).ConfigureAwait(false);
        if (auth.Caller is not { } caller)
        {
            await McpResults.DenialAsync(http, auth.Denial!, default, server).ConfigureAwait(false);
            return null;
        }

        if (await catalog.FindAsync(server, http.RequestAborted).ConfigureAwait(false) is not { } entry)
        {
            await McpResults.ErrorAsync(http, StatusCodes.Status404NotFound, default, JsonRpcErrorCodes.InvalidParams, $"There is no MCP server named '{server}'.", "unknown_server", server).ConfigureAwait(false);
            return null;
        }

        var sessionId = http.Request.Headers["Mcp-Session-Id"].ToString();
        if (sessionId.Length == 0)
        {
            await McpResults.ErrorAsync(http, StatusCodes.Status400BadRequest, default, JsonRpcErrorCodes.InvalidRequest, "Mcp-Session-Id is required.", "missing_session", server).ConfigureAwait(false);
            return null;
        }

        var lookup = SessionIds.IsWellFormed(sessionId) ? await sessions.GetAsync(sessionId, caller.PrincipalId, http.RequestAborted).ConfigureAwait(false) : default;
        if (lookup.Status != SessionLookupStatus.Found || lookup.Session!.Server != server)
        {
            await McpResults.ErrorAsync(http, StatusCodes.Status404NotFound, default, JsonRpcErrorCodes.InvalidRequest, "The session does not exist or has ended: initialize a new one.", "unknown_session", server).ConfigureAwait(false);
            return null;
        }

        return new Found(caller, entry, lookup.Session);
    }

    internal sealed record Found(Caller Caller, CatalogServer Server, SessionRecord Record);
}
