using McpPlatform.Worker.Host.Catalog;
using Microsoft.Extensions.Options;

namespace McpPlatform.Worker.Host.Pool;

/// <summary>
/// Runs the pool with the host: warms the minimum slots, runs the watchdog, and on stop drains (no new
/// leases, in-flight calls get the grace period) before every process group is killed and reaped.
/// </summary>
internal sealed class WorkerPoolService(WorkerPool pool, IOptions<WorkerOptions> options, IHostApplicationLifetime lifetime) : IHostedService
{
    private readonly CancellationTokenSource _stopping = new();
    private Task _maintenance = Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        pool.Start();
        _maintenance = RunAsync();
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        try
        {
            await pool.DrainAsync(options.Value.DrainGracePeriod, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await _stopping.CancelAsync().ConfigureAwait(false);
            await _maintenance.ConfigureAwait(false);
        }
    }

    private async Task RunAsync()
    {
        try
        {
            await pool.RunMaintenanceAsync(_stopping.Token).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // The watchdog is what kills hung calls: a host without it must not keep serving.
            lifetime.StopApplication();
            throw;
        }
    }
}
