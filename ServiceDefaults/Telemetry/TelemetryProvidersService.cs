using Microsoft.Extensions.Hosting;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace McpPlatform.ServiceDefaults.Telemetry;

/// <summary>
/// Resolves the tracer and meter providers when the host starts, so that they listen from the
/// first request on; the container disposes (and flushes) them when the host stops.
/// </summary>
internal sealed class TelemetryProvidersService(TracerProvider tracerProvider, MeterProvider meterProvider) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        GC.KeepAlive(tracerProvider);
        GC.KeepAlive(meterProvider);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        tracerProvider.ForceFlush(2_000);
        meterProvider.ForceFlush(2_000);
        return Task.CompletedTask;
    }
}
