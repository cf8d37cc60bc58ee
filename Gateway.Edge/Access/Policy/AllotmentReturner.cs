namespace McpPlatform.Gateway.Edge.Access.Policy;

/// <summary>
/// Gives unused quota units back to Redis once per allotment window (and all of them when the gateway stops), so an
/// idle subject's reserved units count against its quota for about a window at most.
/// </summary>
internal sealed class AllotmentReturner(RedisCallLimiter limiter, TimeProvider time) : BackgroundService
{
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        await limiter.SweepAsync(all: true, cancellationToken).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(limiter.Window, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                await limiter.SweepAsync(all: false, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
