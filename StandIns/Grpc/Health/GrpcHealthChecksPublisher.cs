using Grpc.Health.V1;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Grpc.HealthCheck;

/// <summary>
/// Publishes the ASP.NET Core health report into the gRPC health service: the server ("") is
/// SERVING while the report is Healthy or Degraded, NOT_SERVING otherwise.
/// </summary>
internal sealed class GrpcHealthChecksPublisher(HealthServiceImpl health) : IHealthCheckPublisher
{
    public Task PublishAsync(HealthReport report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        health.SetStatus(string.Empty, report.Status == HealthStatus.Unhealthy
            ? HealthCheckResponse.Types.ServingStatus.NotServing
            : HealthCheckResponse.Types.ServingStatus.Serving);
        return Task.CompletedTask;
    }
}
