using McpPlatform.Gateway.Edge.Access.Options;
using Microsoft.Extensions.Options;

namespace McpPlatform.Gateway.Edge.Access.Metadata;

/// <summary>
/// The canonical URLs of the protected resources (RFC 8707/9728): <c>{origin}/mcp/{server}</c>, its metadata document,
/// the authorization server, and the scope strings a server's callers need.
/// </summary>
internal sealed class ResourceUrls(IOptionsMonitor<AccessOptions> options)
{
    /// <summary>The scope that grants a whole server: <c>mcp:{server}</c>; <c>mcp:{server}:{tool}</c> grants one tool.</summary>
    public static string ServerScope(string server) => $"mcp:{server}";

    public static string ToolScope(string server, string tool) => $"mcp:{server}:{tool}";

    /// <summary>The public origin, without a trailing slash.</summary>
    public string Origin(HttpRequest request) =>
        options.CurrentValue.PublicBaseUrl is { } configured
            ? configured.TrimEnd('/')
            : $"{request.Scheme}://{request.Host.ToUriComponent()}";

    /// <summary>The resource identifier of <c>/mcp/{server}</c>.</summary>
    public string Resource(HttpRequest request, string server) => $"{Origin(request)}/mcp/{Uri.EscapeDataString(server)}";

    /// <summary>Where a client finds the RFC 9728 document of <c>/mcp/{server}</c> (the well-known path inserted before the resource path).</summary>
    public string MetadataUrl(HttpRequest request, string server) =>
        $"{Origin(request)}/.well-known/oauth-protected-resource/mcp/{Uri.EscapeDataString(server)}";

    /// <summary>Identity's issuer: configured, or this origin (the edge forwards Identity's OAuth endpoints here).</summary>
    public string AuthorizationServer(HttpRequest request) =>
        options.CurrentValue.AuthorizationServer?.TrimEnd('/') ?? Origin(request);
}
