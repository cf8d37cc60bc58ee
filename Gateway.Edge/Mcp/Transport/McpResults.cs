using System.Globalization;
using McpPlatform.Gateway.Edge.Access;
using McpPlatform.Protocol.JsonRpc;

namespace McpPlatform.Gateway.Edge.Mcp.Transport;

/// <summary>
/// Writes what the gateway answers itself: JSON-RPC errors with their HTTP status (and the request's id when it is
/// known), access denials with their headers, and plain JSON-RPC bodies.
/// </summary>
internal static class McpResults
{
    public const string JsonContentType = "application/json";

    public static Task ErrorAsync(HttpContext context, int status, ReadOnlySpan<byte> rawId, int code, string message, string reason, string? server = null)
    {
        var body = JsonRpcMessages.Error(rawId, code, message, reason, server);
        return JsonAsync(context, status, body);
    }

    /// <summary>An <see cref="AccessDenial"/>: its status, <c>WWW-Authenticate</c>, <c>Retry-After</c>, and a JSON-RPC error naming its reason.</summary>
    public static Task DenialAsync(HttpContext context, AccessDenial denial, ReadOnlySpan<byte> rawId, string server)
    {
        if (denial.WwwAuthenticate is { } challenge)
        {
            context.Response.Headers.WWWAuthenticate = challenge;
        }

        if (denial.RetryAfter is { } retry)
        {
            context.Response.Headers.RetryAfter = RetryAfterSeconds(retry);
        }

        return ErrorAsync(context, denial.StatusCode, rawId, denial.JsonRpcCode, denial.Message, denial.Reason, server);
    }

    public static Task JsonAsync(HttpContext context, int status, ReadOnlyMemory<byte> body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = JsonContentType;
        context.Response.ContentLength = body.Length;
        return context.Response.Body.WriteAsync(body, context.RequestAborted).AsTask();
    }

    /// <summary>Whole seconds, rounded up, at least 1: Retry-After has no fractions.</summary>
    public static string RetryAfterSeconds(TimeSpan retry) =>
        Math.Max(1, (long)Math.Ceiling(retry.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
}
