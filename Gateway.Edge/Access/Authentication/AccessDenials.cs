using System.Globalization;
using McpPlatform.Gateway.Edge.Access.Metadata;
using McpPlatform.Protocol.JsonRpc;

namespace McpPlatform.Gateway.Edge.Access.Authentication;

/// <summary>
/// The denials the access layer answers with, each with its status, JSON-RPC error, reason and headers, so every
/// path says the same thing the same way (RFC 6750 challenges with RFC 9728's <c>resource_metadata</c>).
/// </summary>
internal sealed class AccessDenials(ResourceUrls urls)
{
    /// <summary>No credential on a server that needs one: 401 with the challenge (no <c>error</c>, per RFC 6750 §3.1).</summary>
    public AccessDenial MissingCredentials(HttpContext context, string server) =>
        Unauthorized(context, server, error: null, "missing_credentials",
            "This server needs credentials: send 'Authorization: Bearer <API key or access token>'.");

    /// <summary>A credential was presented and is not good: 401 <c>invalid_token</c>.</summary>
    public AccessDenial InvalidToken(HttpContext context, string server, string reason, string message) =>
        Unauthorized(context, server, "invalid_token", reason, message);

    /// <summary>A credential in the wrong place (query string, form): 400 <c>invalid_request</c>, never read.</summary>
    public AccessDenial InvalidRequest(HttpContext context, string server, string message) =>
        new(StatusCodes.Status400BadRequest, JsonRpcErrorCodes.Unauthorized, "invalid_request", message,
            WwwAuthenticate: Challenge(context, server, "invalid_request", message));

    /// <summary>A good credential without the right to this server or tool: 403 <c>insufficient_scope</c>.</summary>
    public AccessDenial InsufficientScope(HttpContext? context, string server, string? tool, string reason, string message)
    {
        var scope = tool is null ? ResourceUrls.ServerScope(server) : ResourceUrls.ToolScope(server, tool);
        var challenge = context is null
            ? $"Bearer error=\"insufficient_scope\", scope=\"{Quote(scope)}\", error_description=\"{Quote(message)}\""
            : $"Bearer error=\"insufficient_scope\", scope=\"{Quote(scope)}\", error_description=\"{Quote(message)}\", resource_metadata=\"{urls.MetadataUrl(context.Request, server)}\"";
        return new AccessDenial(StatusCodes.Status403Forbidden, JsonRpcErrorCodes.Unauthorized, reason, message, WwwAuthenticate: challenge);
    }

    /// <summary>Too many requests: 429 with Retry-After (rounded up to whole seconds by the renderer).</summary>
    public static AccessDenial RateLimited(string message, TimeSpan retryAfter) =>
        new(StatusCodes.Status429TooManyRequests, JsonRpcErrorCodes.RateLimited, "rate_limited", message, RetryAfter: retryAfter);

    /// <summary>The monthly quota is used up: 429 until the first of next month (UTC).</summary>
    public static AccessDenial QuotaExceeded(long quota, DateTimeOffset resetsAt, DateTimeOffset now) =>
        new(StatusCodes.Status429TooManyRequests, JsonRpcErrorCodes.RateLimited, "quota_exceeded",
            string.Create(CultureInfo.InvariantCulture,
                $"The monthly quota of {quota} tool calls is used up; it resets at {resetsAt:yyyy-MM-ddTHH:mm:ssZ}. Upgrade the plan for more."),
            RetryAfter: resetsAt - now);

    /// <summary>Too many open sessions: 429 (close one, or wait for an idle one to expire).</summary>
    public static AccessDenial TooManySessions(int max) =>
        new(StatusCodes.Status429TooManyRequests, JsonRpcErrorCodes.RateLimited, "session_limit",
            $"The plan allows {max} open MCP sessions; close one (HTTP DELETE) before opening another.", RetryAfter: TimeSpan.FromSeconds(30));

    /// <summary>Access.Api could not answer and nothing is cached: 503, never 401 (the key may well be good).</summary>
    public static AccessDenial AccessUnavailable() =>
        new(StatusCodes.Status503ServiceUnavailable, JsonRpcErrorCodes.Busy, "access_unavailable",
            "The gateway cannot check credentials right now (the access service is unreachable); retry shortly.",
            RetryAfter: TimeSpan.FromSeconds(5));

    private AccessDenial Unauthorized(HttpContext context, string server, string? error, string reason, string message) =>
        new(StatusCodes.Status401Unauthorized, JsonRpcErrorCodes.Unauthorized, reason, message, WwwAuthenticate: Challenge(context, server, error, message));

    private string Challenge(HttpContext context, string server, string? error, string message)
    {
        var metadata = urls.MetadataUrl(context.Request, server);
        var scope = ResourceUrls.ServerScope(server);
        return error is null
            ? $"Bearer resource_metadata=\"{metadata}\", scope=\"{Quote(scope)}\""
            : $"Bearer error=\"{error}\", error_description=\"{Quote(message)}\", resource_metadata=\"{metadata}\", scope=\"{Quote(scope)}\"";
    }

    // RFC 6750 quoted strings: no '"' or '\' (and nothing outside printable ASCII) inside.
    private static string Quote(string value) =>
        string.Create(value.Length, value, static (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                var c = source[i];
                span[i] = c is '"' or '\\' || c < 0x20 || c > 0x7E ? '\'' : c;
            }
        });
}
