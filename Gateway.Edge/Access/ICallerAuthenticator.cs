namespace McpPlatform.Gateway.Edge.Access;

/// <summary>
/// Authenticates every MCP request (sessions never authenticate): the bearer credential of the
/// <c>Authorization</c> header (an API key or an Identity token), or none for an anonymous server.
/// </summary>
public interface ICallerAuthenticator
{
    /// <summary>The caller, or a 401/403 denial with its <c>WWW-Authenticate</c> challenge.</summary>
    /// <param name="context">The request (headers, client address, the resource URL for the challenge).</param>
    /// <param name="server">The catalog server the request targets (the <c>{server}</c> of <c>/mcp/{server}</c>).</param>
    /// <param name="cancellationToken">The request's cancellation.</param>
    ValueTask<AuthenticationResult> AuthenticateAsync(HttpContext context, string server, CancellationToken cancellationToken);
}
