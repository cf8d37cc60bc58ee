using Microsoft.Net.Http.Headers;

namespace McpPlatform.Gateway.Edge.Mcp.Transport;

/// <summary>The Streamable HTTP header rules: Accept (406), Content-Type (415), Origin (403), checked before the body is read.</summary>
internal static class HeaderChecks
{
    /// <summary>A POST's Accept must allow both <c>application/json</c> and <c>text/event-stream</c>; wildcards count.</summary>
    public static bool AcceptsJsonAndSse(HttpRequest request)
    {
        bool json = false, sse = false;
        foreach (var value in request.Headers.Accept)
        {
            if (!MediaTypeHeaderValue.TryParseList([value ?? string.Empty], out var types))
            {
                continue;
            }

            foreach (var type in types)
            {
                if (type.Quality is 0)
                {
                    continue;
                }

                var media = type.MediaType;
                json |= Matches(media, "application", "json");
                sse |= Matches(media, "text", "event-stream");
            }
        }

        return json && sse;
    }

    /// <summary>A GET's Accept must allow <c>text/event-stream</c>.</summary>
    public static bool AcceptsSse(HttpRequest request)
    {
        foreach (var value in request.Headers.Accept)
        {
            if (MediaTypeHeaderValue.TryParseList([value ?? string.Empty], out var types) && types.Any(t => t.Quality is not 0 && Matches(t.MediaType, "text", "event-stream")))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary><c>application/json</c>, with or without parameters (charset).</summary>
    public static bool IsJsonContent(HttpRequest request) =>
        MediaTypeHeaderValue.TryParse(request.ContentType, out var type) &&
        type.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) &&
        (type.Charset.Length == 0 || type.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase));

    private static bool Matches(Microsoft.Extensions.Primitives.StringSegment media, string type, string subtype)
    {
        var slash = media.IndexOf('/');
        if (slash < 0)
        {
            return false;
        }

        var t = media.Subsegment(0, slash);
        var s = media.Subsegment(slash + 1);
        return (t.Equals("*", StringComparison.Ordinal) || t.Equals(type, StringComparison.OrdinalIgnoreCase)) &&
               (s.Equals("*", StringComparison.Ordinal) || s.Equals(subtype, StringComparison.OrdinalIgnoreCase));
    }
}
