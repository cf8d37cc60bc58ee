using System.Buffers;

namespace McpPlatform.Gateway.Edge.Access.Metadata;

/// <summary>
/// RFC 9728 documents: <c>/.well-known/oauth-protected-resource</c> (the gateway as a whole) and
/// <c>/.well-known/oauth-protected-resource/mcp/{server}</c> (one MCP endpoint: its canonical URL is the resource,
/// the audience a token for it must carry). Public, cacheable, and readable cross-origin (browser-based clients
/// fetch them before they have any credential).
/// </summary>
internal static class ProtectedResourceEndpoints
{
    private const string WellKnown = "/.well-known/oauth-protected-resource";

    private static readonly SearchValues<char> ServerNameCharacters =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.");

    private static readonly string[] HeaderOnly = ["header"];

    public static IEndpointRouteBuilder MapProtectedResourceMetadata(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(WellKnown, Gateway).WithName("ProtectedResourceMetadata").ExcludeFromDescription();
        endpoints.MapGet(WellKnown + "/mcp/{server}", Server).WithName("ProtectedResourceMetadataForServer").ExcludeFromDescription();
        return endpoints;
    }

    private static IResult Gateway(HttpContext context, ResourceUrls urls)
    {
        var request = context.Request;
        return Document(context, new ProtectedResourceMetadata(
            urls.Origin(request), [urls.AuthorizationServer(request)], [ResourceUrls.ServerScope("*")], HeaderOnly, "McpPlatform MCP gateway"));
    }

    private static IResult Server(HttpContext context, string server, ResourceUrls urls)
    {
        if (server.Length is 0 or > 128 || server.AsSpan().ContainsAnyExcept(ServerNameCharacters))
        {
            return Results.NotFound();
        }

        var request = context.Request;
        return Document(context, new ProtectedResourceMetadata(
            urls.Resource(request, server), [urls.AuthorizationServer(request)], [ResourceUrls.ServerScope(server)], HeaderOnly, $"MCP server '{server}'"));
    }

    private static IResult Document(HttpContext context, ProtectedResourceMetadata metadata)
    {
        context.Response.Headers.CacheControl = "public, max-age=300";
        context.Response.Headers.AccessControlAllowOrigin = "*";
        return Results.Json(metadata, MetadataJsonContext.Default.ProtectedResourceMetadata);
    }
}
