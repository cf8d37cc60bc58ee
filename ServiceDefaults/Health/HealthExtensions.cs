using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace McpPlatform.ServiceDefaults.Health;

/// <summary>
/// Liveness says the process answers; readiness says its real dependencies (PostgreSQL, Redis,
/// upstream services) answer too. Checks join readiness by carrying <see cref="ReadyTag"/>.
/// </summary>
public static class HealthExtensions
{
    /// <summary>The tag that puts a check into <c>/health/ready</c>.</summary>
    public const string ReadyTag = "ready";

    /// <summary>The tag that puts a check into <c>/health/live</c>.</summary>
    public const string LiveTag = "live";

    /// <summary>Registers the health-check service and a liveness check of the process itself.</summary>
    public static IHostApplicationBuilder AddDefaultHealthChecks(this IHostApplicationBuilder builder)
    {
        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), [LiveTag]);
        return builder;
    }

    /// <summary>Maps <c>/health/live</c> and <c>/health/ready</c>, in every environment.</summary>
    public static WebApplication MapHealthEndpoints(this WebApplication app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(LiveTag),
            ResponseWriter = HealthResponseWriter.WriteAsync,
        });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(ReadyTag),
            ResponseWriter = HealthResponseWriter.WriteAsync,
        });
        return app;
    }
}
