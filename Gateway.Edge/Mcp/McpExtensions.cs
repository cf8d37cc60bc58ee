using McpPlatform.Gateway.Edge.Mcp.Catalog;
using McpPlatform.Gateway.Edge.Mcp.Legacy;
using McpPlatform.Gateway.Edge.Mcp.Relay;
using McpPlatform.Gateway.Edge.Mcp.Sessions;
using McpPlatform.Gateway.Edge.Mcp.Sse;
using McpPlatform.Gateway.Edge.Mcp.Stateless;
using McpPlatform.Gateway.Edge.Mcp.Transport;
using McpPlatform.Stores.Hosting;
using Microsoft.Extensions.Options;

namespace McpPlatform.Gateway.Edge.Mcp;

/// <summary>Registers and maps the MCP layer: Streamable HTTP at <c>/mcp/{server}</c> and the server list at <c>/mcp</c>.</summary>
internal static class McpExtensions
{
    public static IHostApplicationBuilder AddMcp(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        builder.AddPlatformStores();
        services.AddOptions<McpOptions>().BindConfiguration(McpOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<McpOptions>, McpOptionsValidator>();
        services.AddSingleton<McpMetrics>();
        services.AddOptions<RelayOptions>().BindConfiguration(RelayOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<RelayOptions>, RelayOptionsValidator>();
        services.AddSingleton<DispatcherClient>();
        services.AddSingleton<ServerCatalog>();
        services.AddSingleton<SessionCache>();
        services.AddSingleton<OriginPolicy>();
        services.AddSingleton<SharedRelay>();
        services.AddSingleton<SessionHub>();
        services.AddSingleton<InitializeHandler>();
        services.AddSingleton<MessageHandler>();
        services.AddSingleton<BatchHandler>();
        services.AddSingleton<PostHandler>();
        services.AddSingleton<GetStreamHandler>();
        services.AddSingleton<DeleteHandler>();
        services.AddSingleton<ServerListHandler>();
        services.AddLegacySse();
        services.AddStatelessMcp();
        return builder;
    }

    public static IEndpointRouteBuilder MapMcp(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapGet("/mcp", (HttpContext http, ServerListHandler list) => list.HandleAsync(http));
        endpoints.MapPost("/mcp/{server}", (HttpContext http, string server, PostHandler post) => post.HandleAsync(http, server));
        endpoints.MapGet("/mcp/{server}", (HttpContext http, string server, GetStreamHandler get) => get.HandleAsync(http, server));
        endpoints.MapDelete("/mcp/{server}", (HttpContext http, string server, DeleteHandler delete) => delete.HandleAsync(http, server));
        endpoints.MapLegacySse();
        return endpoints;
    }
}
