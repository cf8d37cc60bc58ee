using System.Net.Http.Headers;
using Microsoft.Extensions.Primitives;

namespace McpPlatform.Gateway.Edge.Forwarder;

/// <summary>
/// Which headers cross the edge. Hop-by-hop headers (RFC 9110 §7.6.1) describe one connection and
/// must not be forwarded, nor may any header the <c>Connection</c> header names.
/// </summary>
internal static class HeaderRules
{
    private static readonly HashSet<string> HopByHop = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "TE", "Trailer", "Transfer-Encoding", "Upgrade", "Proxy-Connection",
        "Proxy-Authenticate", "Proxy-Authorization",
    };

    // Set by the edge itself (request) or meaningless across a hop (Alt-Svc advertises the upstream's own ports).
    private static readonly HashSet<string> RequestOnlyOurs = new(StringComparer.OrdinalIgnoreCase)
    {
        "Host", "Expect", "X-Forwarded-For", "X-Forwarded-Proto", "X-Forwarded-Host", "Forwarded",
        // The hosting activity already continued the caller's trace; HttpClient injects the current span.
        "traceparent", "tracestate", "Request-Id", "Correlation-Context", "baggage",
    };

    private static readonly HashSet<string> ResponseNotForwarded = new(StringComparer.OrdinalIgnoreCase) { "Alt-Svc" };

    public static bool IsHopByHop(string name) =>
        HopByHop.Contains(name) || name.StartsWith("Proxy-", StringComparison.OrdinalIgnoreCase);

    /// <summary>The header names listed in a Connection header (they are hop-by-hop too).</summary>
    public static HashSet<string>? ConnectionListed(StringValues connection)
    {
        HashSet<string>? names = null;
        foreach (var value in connection)
        {
            foreach (var token in (value ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                (names ??= new HashSet<string>(StringComparer.OrdinalIgnoreCase)).Add(token);
            }
        }
        return names;
    }

    public static bool ForwardRequestHeader(string name, HashSet<string>? listed) =>
        !name.StartsWith(':') && !IsHopByHop(name) && !RequestOnlyOurs.Contains(name) && listed?.Contains(name) != true;

    public static bool ForwardResponseHeader(string name, HashSet<string>? listed) =>
        !IsHopByHop(name) && !ResponseNotForwarded.Contains(name) && listed?.Contains(name) != true;

    /// <summary>Copies the upstream's response headers (message and content) onto the client's response.</summary>
    public static void CopyResponseHeaders(HttpResponseMessage upstream, HttpResponse response)
    {
        var listed = upstream.Headers.TryGetValues("Connection", out var connection) ? ConnectionListed(connection.ToArray()) : null;
        Copy(upstream.Headers, response, listed);
        Copy(upstream.Content.Headers, response, listed);
    }

    private static void Copy(HttpHeaders headers, HttpResponse response, HashSet<string>? listed)
    {
        foreach (var header in headers.NonValidated)
        {
            if (ForwardResponseHeader(header.Key, listed))
            {
                response.Headers[header.Key] = ToStringValues(header.Value);
            }
        }
    }

    public static StringValues ToStringValues(HeaderStringValues values) =>
        values.Count == 1 ? new StringValues(values.ToString()) : new StringValues(values.ToArray());
}
