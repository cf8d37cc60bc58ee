using McpPlatform.Gateway.Edge.Access;
using McpPlatform.Gateway.Edge.Forwarder;
using McpPlatform.Gateway.Edge.Health;
using McpPlatform.Gateway.Edge.Limits;
using McpPlatform.Gateway.Edge.LoadBalancing;
using McpPlatform.Gateway.Edge.Mcp;
using McpPlatform.Gateway.Edge.Metrics;
using McpPlatform.Gateway.Edge.Routing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace McpPlatform.Gateway.Edge.Extensions;

/// <summary>The service's registrations; <c>Program.cs</c> stays a composition root.</summary>
internal static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddEdge();
        builder.AddGatewayAccess();
        builder.AddMcp();
    }

    /// <summary>
    /// The edge layer: Kestrel limits and TLS, the route table, forwarding, load balancing and
    /// upstream health. Every options section is validated as a whole at start.
    /// </summary>
    public static IHostApplicationBuilder AddEdge(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;

        services.AddOptions<RoutingOptions>().BindConfiguration(RoutingOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<RoutingOptions>, RoutingOptionsValidator>();
        services.AddOptions<ForwarderOptions>().BindConfiguration(ForwarderOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ForwarderOptions>, ForwarderOptionsValidator>();
        services.AddOptions<HealthOptions>().BindConfiguration(HealthOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<HealthOptions>, HealthOptionsValidator>();
        services.AddOptions<LimitsOptions>().BindConfiguration(LimitsOptions.SectionName).ValidateOnStart();
        services.AddOptions<TlsOptions>().BindConfiguration(TlsOptions.SectionName).ValidateOnStart();
        services.AddSingleton<LimitsOptionsValidator>();
        services.AddSingleton<IValidateOptions<LimitsOptions>>(sp => sp.GetRequiredService<LimitsOptionsValidator>());
        services.AddSingleton<IValidateOptions<TlsOptions>>(sp => sp.GetRequiredService<LimitsOptionsValidator>());

        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.AddSingleton<EdgeMetrics>();

        // Limits: Kestrel's own, plus the per-IP connection middleware on every endpoint.
        services.AddSingleton<ConnectionsPerIpLimiter>();
        services.AddSingleton<IConfigureOptions<KestrelServerOptions>, KestrelSetup>();

        // Routing → load balancing → forwarding.
        services.AddSingleton<IRouteTable, RouteTable>();
        services.AddSingleton<IClusterRegistry, ClusterRegistry>();
        services.AddSingleton<UpstreamClient>();
        services.AddSingleton<IHttpForwarder, HttpForwarder>();
        services.AddSingleton<EdgeRequestHandler>();
        services.AddSingleton<EdgeEndpointDataSource>();
        services.AddHostedService<ActiveHealthChecker>();
        return builder;
    }

    /// <summary>Maps the route table's routes (<c>Edge:Routes</c>) to the forwarder.</summary>
    public static IEndpointRouteBuilder MapEdgeForwarding(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.DataSources.Add(endpoints.ServiceProvider.GetRequiredService<EdgeEndpointDataSource>());
        return endpoints;
    }
}
