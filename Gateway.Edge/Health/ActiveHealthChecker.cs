using McpPlatform.Gateway.Edge.LoadBalancing;
using Microsoft.Extensions.Options;

namespace McpPlatform.Gateway.Edge.Health;

/// <summary>
/// Probes every replica of every cluster on a timer. Rounds do not overlap: a round ends when its
/// slowest probe answers or times out, so a verdict is always applied before the next probe of
/// the same replica starts.
/// </summary>
internal sealed partial class ActiveHealthChecker(
    IClusterRegistry clusters,
    IOptions<HealthOptions> options,
    TimeProvider time,
    IHostApplicationLifetime lifetime,
    ILogger<ActiveHealthChecker> logger) : BackgroundService
{
    private HttpMessageInvoker? _probe;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var active = options.Value.Active;
        if (!active.Enabled)
        {
            return;
        }
        _probe = new HttpMessageInvoker(new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            UseCookies = false,
            ConnectTimeout = active.Timeout,
            PooledConnectionIdleTimeout = active.Interval * 3,
        });
        try
        {
            using var timer = new PeriodicTimer(active.Interval, time);
            do
            {
                await ProbeAllAsync(active, stoppingToken);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutdown: the normal way out.
        }
        catch (Exception ex)
        {
            // A dead health loop would leave verdicts frozen forever; better to stop loudly and be restarted.
            LogLoopDied(logger, ex);
            lifetime.StopApplication();
            throw;
        }
    }

    public override void Dispose()
    {
        _probe?.Dispose();
        base.Dispose();
    }

    private Task ProbeAllAsync(ActiveHealthOptions active, CancellationToken cancellationToken) =>
        Task.WhenAll(clusters.Clusters.SelectMany(c => c.Destinations.Select(d => ProbeAsync(c, d, active, cancellationToken))));

    private async Task ProbeAsync(ServiceCluster cluster, DestinationState destination, ActiveHealthOptions active, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(active.Timeout);
        string outcome;
        bool healthy;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(destination.Address, active.Path));
            using var response = await _probe!.SendAsync(request, timeout.Token);
            healthy = response.IsSuccessStatusCode;
            outcome = ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            healthy = false;
            outcome = $"no answer within {active.Timeout.TotalSeconds:0.###} s";
        }
        catch (HttpRequestException ex)
        {
            healthy = false;
            outcome = ex.HttpRequestError.ToString();
        }
        if (destination.ReportProbe(healthy))
        {
            if (healthy)
            {
                LogHealthy(logger, cluster.Service, destination.Address.ToString());
            }
            else
            {
                LogUnhealthy(logger, cluster.Service, destination.Address.ToString(), outcome);
            }
        }
    }

    [LoggerMessage(EventId = 1300, Level = LogLevel.Information, Message = "Upstream {Service} replica {Upstream} is healthy")]
    private static partial void LogHealthy(ILogger logger, string service, string upstream);

    [LoggerMessage(EventId = 1301, Level = LogLevel.Warning, Message = "Upstream {Service} replica {Upstream} failed its health probe ({Outcome}); it gets no traffic until a probe succeeds")]
    private static partial void LogUnhealthy(ILogger logger, string service, string upstream, string outcome);

    [LoggerMessage(EventId = 1302, Level = LogLevel.Critical, Message = "The upstream health loop died; stopping the service")]
    private static partial void LogLoopDied(ILogger logger, Exception exception);
}
