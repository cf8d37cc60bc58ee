using McpPlatform.ServiceDefaults.Discovery;
using McpPlatform.ServiceDefaults.Health;
using McpPlatform.ServiceDefaults.Http;
using McpPlatform.ServiceDefaults.Logging;
using McpPlatform.ServiceDefaults.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The conventions every McpPlatform service starts from (eShop's ServiceDefaults shape):
/// telemetry, health checks, JSON logs, service endpoints and resilient HTTP clients.
/// </summary>
public static class ServiceDefaultsExtensions
{
    /// <summary>Adds the platform's defaults to a service. Call it first in <c>Program.cs</c>.</summary>
    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);

        builder.ConfigureJsonLogging();
        builder.ConfigurePlatformTelemetry();
        builder.AddDefaultHealthChecks();
        builder.Services.AddServiceEndpoints();
        builder.Services.AddProblemDetails();
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            http.AddServiceEndpointResolution();
            http.AddPlatformResilience();
        });
        return builder;
    }

    /// <summary>Maps <c>/health/live</c>, <c>/health/ready</c> and <c>/metrics</c>, kept out of traces and request metrics.</summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);

        app.MapHealthEndpoints();
        app.MapPrometheusMetrics();
        return app;
    }
}
