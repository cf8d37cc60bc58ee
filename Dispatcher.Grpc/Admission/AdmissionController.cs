using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Google.Protobuf.WellKnownTypes;
using McpPlatform.Contracts.Common.V1;
using McpPlatform.Dispatcher.Grpc.Leases;
using McpPlatform.Dispatcher.Grpc.Options;
using McpPlatform.Dispatcher.Grpc.Registry;
using McpPlatform.Dispatcher.Grpc.Telemetry;
using Microsoft.Extensions.Options;

namespace McpPlatform.Dispatcher.Grpc.Admission;

/// <summary>
/// Admits work per server: a lease at once when nobody waits and a slot is free, otherwise a place in the server's
/// bounded, tenant-fair queue; busy answers (queue full, queue timeout, plan concurrency, no worker) carry the
/// Retry-After the gateway turns into 429. Queued calls are retried when a lease comes back through this replica,
/// when workers change, and every QueuePollInterval (for leases returned through other replicas).
/// </summary>
internal sealed class AdmissionController : BackgroundService
{
    private readonly ConcurrentDictionary<string, AdmissionQueue> _queues = new(StringComparer.Ordinal);
    private readonly LeaseManager _leases;
    private readonly DispatcherOptions _options;
    private readonly DispatcherMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger<AdmissionController> _logger;

    public AdmissionController(LeaseManager leases, WorkerPool pool, IOptions<DispatcherOptions> options, DispatcherMetrics metrics, TimeProvider time, ILogger<AdmissionController> logger)
    {
        (_leases, _options, _metrics, _time, _logger) = (leases, options.Value, metrics, time, logger);
        leases.Released += server => Pump(server);
        leases.QueuedCalls = Depth;
        pool.CapacityChanged += PumpAll;
        metrics.QueueDepths = () => _queues.Values.Select(queue => new Measurement<int>(queue.Depth, new KeyValuePair<string, object?>("server", queue.Server)));
    }

    /// <summary>Calls waiting for <paramref name="server"/> on this replica.</summary>
    public int Depth(string server) => _queues.TryGetValue(server, out var queue) ? queue.Depth : 0;

    /// <summary>
    /// A lease for <paramref name="route"/>, or the busy answer. A caller whose <paramref name="deadline"/> comes
    /// before the queue timeout stops waiting a little before it (a tenth of the time left, 100 ms to 1 s), so it
    /// gets a busy answer with retry-after rather than DEADLINE_EXCEEDED. <paramref name="perCall"/>: the lease lives
    /// for one call and this replica returns it (Relay), so it may come from the lease bank.
    /// </summary>
    public async Task<AdmissionResult> AdmitAsync(Route route, TimeSpan ttl, bool autoRenew, IReadOnlyCollection<string>? excludeWorkers, DateTime deadline, CancellationToken cancellationToken, bool perCall = false)
    {
        var started = _time.GetTimestamp();
        var queue = Queue(route.Server);
        var waiter = new Waiter(route, ttl, autoRenew, excludeWorkers, perCall);
        var outcome = queue.Depth == 0 ? await TryAcquireAsync(waiter, cancellationToken).ConfigureAwait(false) : AcquireOutcome.NoCapacity;
        if (outcome.ShouldWait)
        {
            var wait = QueueWaitWithin(deadline);
            outcome = wait > TimeSpan.Zero
                ? await queue.WaitAsync(waiter, wait, _time, cancellationToken).ConfigureAwait(false)
                : new AcquireOutcome(null, Busy.Types.Reason.QueueTimeout);
        }

        var waited = _time.GetElapsedTime(started);
        if (outcome.Lease is { } lease)
        {
            _metrics.QueueWait(route.Server, waited);
            return new AdmissionResult(lease, null, waited);
        }

        var depth = queue.Depth;
        _metrics.Busy(route.Server, outcome.Reason);
        Log.BusyAnswer(_logger, route.Server, outcome.Reason, depth);
        return new AdmissionResult(null, new Busy
        {
            Reason = outcome.Reason,
            RetryAfter = Duration.FromTimeSpan(_options.RetryAfter),
            Message = Describe(route.Server, outcome.Reason),
            QueueDepth = depth,
        }, waited);
    }

    private TimeSpan QueueWaitWithin(DateTime deadline)
    {
        if (deadline == DateTime.MaxValue)
        {
            return _options.QueueTimeout;
        }

        var left = deadline - _time.GetUtcNow().UtcDateTime;
        var margin = TimeSpan.FromTicks(Math.Clamp(left.Ticks / 10, TimeSpan.FromMilliseconds(100).Ticks, TimeSpan.FromSeconds(1).Ticks));
        return left - margin < _options.QueueTimeout ? left - margin : _options.QueueTimeout;
    }

    public void Pump(string server)
    {
        if (_queues.TryGetValue(server, out var queue) && queue.Depth > 0)
        {
            queue.RequestPump();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.QueuePollInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                PumpAll();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private void PumpAll()
    {
        foreach (var server in _queues.Keys)
        {
            Pump(server);
        }
    }

    private AdmissionQueue Queue(string server) =>
        _queues.GetOrAdd(server, name => new AdmissionQueue(name, _options.MaxQueueLength, TryAcquireAsync, lease => GiveBackAsync(lease), ex => Log.LoopFailed(_logger, "admission pump", ex)));

    private ValueTask<AcquireOutcome> TryAcquireAsync(Waiter waiter, CancellationToken cancellationToken) =>
        _leases.TryAcquireAsync(waiter.Route, waiter.Ttl, waiter.AutoRenew, waiter.ExcludeWorkers, waiter.PerCall, cancellationToken);

    private async ValueTask GiveBackAsync(SlotLease lease) => await _leases.ReleaseAsync(lease.LeaseId, CancellationToken.None).ConfigureAwait(false);

    private static string Describe(string server, Busy.Types.Reason reason) => reason switch
    {
        Busy.Types.Reason.QueueFull => $"Server '{server}' has too many calls waiting; retry after the given delay.",
        Busy.Types.Reason.QueueTimeout => $"No slot of server '{server}' became free in time; retry after the given delay.",
        Busy.Types.Reason.PlanConcurrency => "Your plan's maximum of concurrent jobs is reached; retry when one finishes.",
        Busy.Types.Reason.NoWorker => $"No worker runs server '{server}' right now; retry after the given delay.",
        Busy.Types.Reason.Draining => $"Every worker of server '{server}' is draining; retry after the given delay.",
        _ => $"Server '{server}' is busy; retry after the given delay.",
    };
}
