using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace McpPlatform.Access.Api.Data;

/// <summary>Whether the schema is migrated and the bootstrap data written: a readiness check, and a gate requests can await.</summary>
internal sealed class DatabaseState : IHealthCheck
{
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool IsReady => _ready.Task.IsCompletedSuccessfully;

    /// <summary>Completes when the database is usable; faults when migration failed.</summary>
    public Task Ready => _ready.Task;

    public void MarkReady() => _ready.TrySetResult();

    public void MarkFailed(Exception exception) => _ready.TrySetException(exception);

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(_ready.Task.Status switch
        {
            TaskStatus.RanToCompletion => HealthCheckResult.Healthy("schema migrated"),
            TaskStatus.Faulted => HealthCheckResult.Unhealthy("schema migration failed"),
            _ => HealthCheckResult.Unhealthy("schema not migrated yet"),
        });
}
