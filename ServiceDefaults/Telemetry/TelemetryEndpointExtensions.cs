using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace McpPlatform.ServiceDefaults.Telemetry;

/// <summary>The Prometheus scrape endpoint and the rule that keeps infrastructure endpoints out of traces.</summary>
public static class TelemetryEndpointExtensions
{
    /// <summary>Paths that probes and scrapers hit every few seconds: never traced, never counted.</summary>
    public static bool IsInfrastructurePath(PathString path) =>
        path.StartsWithSegments("/health", StringComparison.OrdinalIgnoreCase)
        || path.StartsWithSegments("/metrics", StringComparison.OrdinalIgnoreCase);

    /// <summary>Maps <c>GET /metrics</c> in the Prometheus text format.</summary>
    public static IEndpointConventionBuilder MapPrometheusMetrics(this WebApplication app)
    {
        app.Use(SuppressInfrastructureTelemetry);
        return app.MapGet("/metrics", (PrometheusMetricReader reader) =>
            Results.Text(reader.Scrape(), "text/plain; version=0.0.4; charset=utf-8"));
    }

    private static Task SuppressInfrastructureTelemetry(HttpContext context, RequestDelegate next)
    {
        if (IsInfrastructurePath(context.Request.Path))
        {
            if (Activity.Current is { } activity)
            {
                // The hosting activity already exists; un-record it so no processor exports it and
                // the parent-based sampler drops anything started beneath it.
                activity.IsAllDataRequested = false;
                activity.ActivityTraceFlags &= ~ActivityTraceFlags.Recorded;
            }
            if (context.Features.Get<IHttpMetricsTagsFeature>() is { } metrics)
            {
                metrics.MetricsDisabled = true;
            }
        }
        return next(context);
    }
}
