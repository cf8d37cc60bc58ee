using McpPlatform.Dispatcher.Grpc.Options;
using McpPlatform.Dispatcher.Grpc.Telemetry;
using Microsoft.Extensions.Options;

namespace McpPlatform.Dispatcher.Grpc.Leases;

/// <summary>
/// Renews the leases of work running through this replica (Session streams, and Relay calls when the lease bank is
/// off) every third of the lease TTL, so long calls and sessions keep their slot while a crashed replica's leases
/// lapse on their own. Banked places are renewed by the <see cref="LeaseBankKeeper"/>.
/// </summary>
internal sealed class LeaseKeeper(LeaseManager leases, IOptions<DispatcherOptions> options, TimeProvider time, ILogger<LeaseKeeper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.LeaseTtl / 3, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                foreach (var lease in leases.Active.Where(lease => lease.AutoRenew).ToList())
                {
                    try
                    {
                        if (await leases.RenewAsync(lease.LeaseId, lease.Ttl, stoppingToken).ConfigureAwait(false) is null)
                        {
                            Log.LeaseLapsed(logger, lease.SlotKey);
                        }
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        // Redis unreachable for a moment: the next tick tries again well before the TTL passes.
                        Log.LoopFailed(logger, nameof(LeaseKeeper), ex);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
