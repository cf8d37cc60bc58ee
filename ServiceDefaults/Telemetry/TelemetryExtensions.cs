using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace McpPlatform.ServiceDefaults.Telemetry;

/// <summary>
/// OpenTelemetry without OpenTelemetry.Extensions.Hosting (absent from the feed): the providers are
/// built from DI, started by a hosted service and disposed with the host.
/// </summary>
public static class TelemetryExtensions
{
    /// <summary>Adds tracing, metrics (Prometheus pull, OTLP push when configured) and OTLP logs when configured.</summary>
    public static IHostApplicationBuilder ConfigurePlatformTelemetry(this IHostApplicationBuilder builder)
    {
        var serviceName = builder.Configuration["OTEL_SERVICE_NAME"] ?? builder.Environment.ApplicationName;
        var otlp = OtlpSettings.From(builder.Configuration);
        var resource = ResourceBuilder.CreateDefault()
            .AddService(serviceName, serviceInstanceId: $"{Environment.MachineName}:{Environment.ProcessId}");

        if (otlp is not null)
        {
            builder.Logging.AddOpenTelemetry(logging =>
            {
                logging.SetResourceBuilder(resource);
                logging.IncludeFormattedMessage = true;
                logging.IncludeScopes = true;
                logging.AddOtlpExporter(o => otlp.Apply(o, "logs"));
            });
        }

        builder.Services.AddSingleton<PrometheusMetricReader>();
        builder.Services.AddSingleton(sp =>
        {
            var tracing = Sdk.CreateTracerProviderBuilder()
                .SetResourceBuilder(resource)
                // Without an exporter nothing would read a recorded span: spans are then only propagated (trace ids
                // still flow to every hop and into the logs), which spares every request the tags and the recording.
                // A caller that sends a sampled traceparent is still recorded (parent-based).
                .SetSampler(new ParentBasedSampler(otlp is null ? new AlwaysOffSampler() : new AlwaysOnSampler()))
                .AddSource(PlatformTelemetry.ActivitySources);
            if (otlp is not null)
            {
                tracing.AddOtlpExporter(o => otlp.Apply(o, "traces"));
            }
            return tracing.Build()!;
        });
        builder.Services.AddSingleton(sp =>
        {
            var metrics = Sdk.CreateMeterProviderBuilder()
                .SetResourceBuilder(resource)
                .AddMeter(PlatformTelemetry.Meters)
                .AddView(SecondsHistograms)
                .AddReader(sp.GetRequiredService<PrometheusMetricReader>());
            if (otlp is not null)
            {
                metrics.AddOtlpExporter(o => otlp.Apply(o, "metrics"));
            }
            return metrics.Build()!;
        });
        builder.Services.AddHostedService<TelemetryProvidersService>();
        return builder;
    }

    // The SDK's default buckets (0–10000) suit milliseconds; durations in seconds need sub-second buckets.
    private static readonly double[] SecondsBoundaries =
        [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 600];

    private static MetricStreamConfiguration? SecondsHistograms(System.Diagnostics.Metrics.Instrument instrument) =>
        instrument.Unit == "s" && instrument.GetType().Name.StartsWith("Histogram", StringComparison.Ordinal)
            ? new ExplicitBucketHistogramConfiguration { Boundaries = SecondsBoundaries }
            : null;
}
