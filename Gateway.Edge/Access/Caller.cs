namespace McpPlatform.Gateway.Edge.Access;

/// <summary>
/// Who an MCP request is from, after authentication: the principal the session is bound to, the tenant its work is
/// accounted to and isolated by, and what it may do. Never holds a credential.
/// </summary>
/// <param name="PrincipalId">The user (or, for an anonymous server, <c>anonymous:&lt;client ip&gt;</c>).</param>
/// <param name="TenantId">The tenant (workspaces, tenant isolation, usage).</param>
/// <param name="KeyId">The API key's id when the caller used a key; null for a token or an anonymous caller.</param>
/// <param name="Plan">The effective plan.</param>
/// <param name="Scopes">Server/tool globs the caller may use; empty means everything the plan allows.</param>
/// <param name="IsAnonymous">True for a caller without credentials on a server configured as anonymous.</param>
public sealed record Caller(
    string PrincipalId,
    string TenantId,
    string? KeyId,
    CallerPlan Plan,
    IReadOnlyList<ScopeGrant> Scopes,
    bool IsAnonymous = false);
