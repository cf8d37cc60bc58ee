using McpPlatform.Dispatcher.Grpc.Leases;
using McpPlatform.Dispatcher.Grpc.Options;
using McpPlatform.Dispatcher.Grpc.Relay;
using McpPlatform.Dispatcher.Grpc.Telemetry;
using Microsoft.Extensions.Options;

namespace McpPlatform.Dispatcher.Grpc.Registry;

/// <summary>
/// Re-reads the registry every RegistryRefreshInterval: workers registered through other replicas appear, workers
/// whose registration lapsed (missed heartbeats) are removed, their leases dropped and their channels closed.
/// </summary>
internal sealed class WorkerSweeper(
    IWorkerDirectory directory,
    WorkerPool pool,
    LeaseManager leases,
    WorkerChannels channels,
    IOptions<DispatcherOptions> options,
    TimeProvider time,
    ILogger<WorkerSweeper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.RegistryRefreshInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    await SweepAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // Redis unreachable for a moment: keep the last view; the next tick tries again.
                    Log.LoopFailed(logger, nameof(WorkerSweeper), ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public async Task SweepAsync(CancellationToken cancellationToken)
    {
        // The view before reading the directory: a worker registered here while we read is not mistaken for lost.
        var before = pool.Workers;
        var live = await directory.ListAsync(cancellationToken).ConfigureAwait(false);

        // Leases first, then the view: once a worker is gone from the pool its leases are back.
        var liveIds = live.Select(worker => worker.Id).ToHashSet(StringComparer.Ordinal);
        var gone = before.Where(worker => !liveIds.Contains(worker.Id)).ToList();
        foreach (var lost in gone)
        {
            await leases.DropWorkerAsync(lost, cancellationToken).ConfigureAwait(false);
        }

        pool.Replace(live, before.Select(worker => worker.Id).ToHashSet(StringComparer.Ordinal));
        foreach (var lost in gone)
        {
            Log.WorkerLost(logger, lost.Id);
            if (!live.Any(worker => worker.Address == lost.Address))
            {
                channels.Forget(lost.Address);
            }
        }
    }
}
