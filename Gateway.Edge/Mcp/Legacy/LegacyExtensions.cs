namespace McpPlatform.Gateway.Edge.Mcp.Legacy;

/// <summary>The 2024-11-05 HTTP+SSE transport: <c>GET /sse/{server}</c> and its message endpoint.</summary>
internal static class LegacyExtensions
{
    public static IServiceCollection AddLegacySse(this IServiceCollection services)
    {
        services.AddSingleton<LegacySessionRegistry>();
        services.AddSingleton<LegacyRelay>();
        services.AddSingleton<LegacyStreamHandler>();
        services.AddSingleton<LegacyMessageHandler>();
        return services;
    }

    public static IEndpointRouteBuilder MapLegacySse(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/sse/{server}", (HttpContext http, string server, LegacyStreamHandler stream) => stream.HandleAsync(http, server));
        endpoints.MapPost("/sse/{server}/messages", (HttpContext http, string server, LegacyMessageHandler messages) => messages.HandleAsync(http, server));
        return endpoints;
    }
}
