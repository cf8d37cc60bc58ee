using McpPlatform.Dispatcher.Grpc.Options;
using McpPlatform.Dispatcher.Grpc.Telemetry;
using Microsoft.Extensions.Options;

namespace McpPlatform.Dispatcher.Grpc.Leases;

/// <summary>
/// The lease bank's upkeep: every IdleReturn / 2 it gives idle places back to Redis (other replicas poll for them),
/// and every LeaseTtl / 3 it renews everything the bank holds in one script, so places of a replica that stops
/// (crash) lapse by themselves after the TTL. At a graceful stop the idle places are given back at once.
/// </summary>
internal sealed class LeaseBankKeeper(LeaseBank bank, IOptions<DispatcherOptions> options, TimeProvider time, ILogger<LeaseBankKeeper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!bank.Enabled)
        {
            return;
        }

        var settings = options.Value;
        var renewEvery = settings.LeaseTtl / 3;
        var lastRenewal = time.GetTimestamp();
        using var timer = new PeriodicTimer(settings.LeaseBank.IdleReturn / 2, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    await bank.ReturnIdleAsync(all: false, stoppingToken).ConfigureAwait(false);
                    if (time.GetElapsedTime(lastRenewal) >= renewEvery)
                    {
                        lastRenewal = time.GetTimestamp();
                        await bank.RenewAsync(settings.LeaseTtl, stoppingToken).ConfigureAwait(false);
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // Redis unreachable for a moment: the next tick tries again well before the TTL passes.
                    Log.LoopFailed(logger, nameof(LeaseBankKeeper), ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        try
        {
            using var bounded = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await bank.ReturnIdleAsync(all: true, bounded.Token).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // The places lapse by their TTL instead.
            Log.LoopFailed(logger, nameof(LeaseBankKeeper), ex);
        }
    }
}
