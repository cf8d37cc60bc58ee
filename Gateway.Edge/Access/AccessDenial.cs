namespace McpPlatform.Gateway.Edge.Access;

/// <summary>
/// Why the gateway refuses a request, in the terms the MCP layer answers with: an HTTP status, a JSON-RPC error
/// (code, <c>data.reason</c>, a message that tells the caller what to do) and the headers that go with it.
/// </summary>
/// <param name="StatusCode">401 (no or bad credentials), 403 (scope, plan), 429 (rate limit, quota, busy).</param>
/// <param name="JsonRpcCode">The JSON-RPC error code (see McpPlatform.Protocol.JsonRpc.JsonRpcErrorCodes).</param>
/// <param name="Reason">A stable machine-readable reason, e.g. <c>invalid_token</c>, <c>insufficient_scope</c>, <c>rate_limited</c>, <c>quota_exceeded</c>.</param>
/// <param name="Message">Safe to show to the client; never echoes a credential.</param>
/// <param name="RetryAfter">The Retry-After value for 429s.</param>
/// <param name="WwwAuthenticate">The <c>WWW-Authenticate</c> value for 401s and 403s.</param>
public sealed record AccessDenial(
    int StatusCode,
    int JsonRpcCode,
    string Reason,
    string Message,
    TimeSpan? RetryAfter = null,
    string? WwwAuthenticate = null);
