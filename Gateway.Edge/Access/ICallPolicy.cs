namespace McpPlatform.Gateway.Edge.Access;

/// <summary>
/// What an authenticated caller may do, per JSON-RPC message: scopes per server and tool, the rate limit per key,
/// the monthly quota. Concurrency per plan is the dispatcher's (it sees every replica's work).
/// </summary>
public interface ICallPolicy
{
    /// <summary>Null when the message may go on; otherwise the denial (403 scope, 429 rate limit or quota).</summary>
    /// <param name="caller">The authenticated caller.</param>
    /// <param name="server">The catalog server.</param>
    /// <param name="method">The JSON-RPC method (requests and notifications).</param>
    /// <param name="name">For <c>tools/call</c> the tool, for <c>prompts/get</c> the prompt; otherwise null.</param>
    /// <param name="cancellationToken">The request's cancellation.</param>
    ValueTask<AccessDenial?> AuthorizeAsync(Caller caller, string server, string method, string? name, CancellationToken cancellationToken);

    /// <summary>Whether <c>tools/list</c> shows <paramref name="tool"/> to the caller (tools it may not call are filtered out).</summary>
    bool MayCallTool(Caller caller, string server, string tool);

    /// <summary>
    /// The plan's cap on open MCP sessions. The MCP layer calls it before it creates a session (on <c>initialize</c>),
    /// with <c>await sessionStore.CountAsync(caller.PrincipalId)</c> as <paramref name="openSessions"/>, and answers
    /// the denial (429) instead of creating the session. Null: the session may be created.
    /// </summary>
    AccessDenial? AuthorizeNewSession(Caller caller, long openSessions) => null;
}
