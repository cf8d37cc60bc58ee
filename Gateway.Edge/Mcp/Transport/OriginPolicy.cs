using Microsoft.Extensions.Options;

namespace McpPlatform.Gateway.Edge.Mcp.Transport;

/// <summary>
/// DNS-rebinding protection (spec: an <c>Origin</c> present and not allowed is 403). Allowed: no Origin (non-browser
/// clients), loopback origins, and <see cref="McpOptions.AllowedOrigins"/>. The request's own Host does not count:
/// a rebinding page sends a Host and an Origin that agree.
/// </summary>
internal sealed class OriginPolicy(IOptionsMonitor<McpOptions> options)
{
    public bool IsAllowed(HttpRequest request)
    {
        var origins = request.Headers.Origin;
        if (origins.Count == 0)
        {
            return true;
        }

        if (origins.Count > 1 || !Uri.TryCreate(origins[0], UriKind.Absolute, out var origin) || origin.Scheme is not ("http" or "https"))
        {
            return false;
        }

        if (origin.IsLoopback)
        {
            return true;
        }

        foreach (var allowed in options.CurrentValue.AllowedOrigins)
        {
            if (Uri.TryCreate(allowed, UriKind.Absolute, out var uri) &&
                uri.Scheme.Equals(origin.Scheme, StringComparison.OrdinalIgnoreCase) &&
                uri.Host.Equals(origin.Host, StringComparison.OrdinalIgnoreCase) &&
                uri.Port == origin.Port)
            {
                return true;
            }
        }

        return false;
    }
}
