using System.Diagnostics.Metrics;
using McpPlatform.Worker.Host.Catalog;
using McpPlatform.Worker.Host.Processes;
using McpPlatform.Worker.Host.Workspaces;
using Microsoft.Extensions.Options;
using McpPlatform.Processes;

namespace McpPlatform.Worker.Host.Pool;

/// <summary>All server pools of the catalog, the watchdog loop and the drain.</summary>
internal sealed class WorkerPool : IWorkerPool, IAsyncDisposable
{
    private readonly Dictionary<string, ServerPool> _pools = new(StringComparer.Ordinal);
    private readonly ProcessLauncher _spawner = new("mcp-process-spawner");
    private readonly WorkerOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<WorkerPool> _logger;
    private int _stopped;

    public WorkerPool(IOptions<WorkerOptions> options, TimeProvider timeProvider, PoolMetrics metrics, WorkspaceManager workspaces, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _options = options.Value;
        _timeProvider = timeProvider;
        _logger = loggerFactory.CreateLogger<WorkerPool>();
        var context = new PoolContext(timeProvider, _spawner, _logger, loggerFactory.CreateLogger("McpPlatform.Worker.Host.ServerProcess"),
            metrics, workspaces, CatalogPaths.Resolve(_options));
        foreach (var (name, definition) in _options.Servers)
        {
            definition.Name = name;
            if (definition.Optional && ServerAvailability.Missing(definition, context.Paths) is { } missing)
            {
                PoolLog.OptionalServerLeftOut(_logger, name, missing);
                continue;
            }

            _pools[name] = new ServerPool(definition, context);
        }

        Catalog = _pools.ToDictionary(p => p.Key, p => p.Value.Definition, StringComparer.Ordinal);
        metrics.ObserveSlots(ObserveSlots);
    }

    public IReadOnlyDictionary<string, ServerDefinition> Catalog { get; }

    public ValueTask<SlotLease> AcquireAsync(string server, string tenant, string? sessionId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(server);
        ArgumentException.ThrowIfNullOrEmpty(tenant);
        var pool = Find(server);
        if (pool.Definition.Isolation == IsolationMode.Session)
        {
            ArgumentException.ThrowIfNullOrEmpty(sessionId);
        }

        return pool.AcquireAsync(tenant, sessionId, cancellationToken);
    }

    public async ValueTask EndSessionAsync(string server, string tenant, string sessionId, CancellationToken cancellationToken)
    {
        var pool = Find(server);
        if (pool.Definition.Isolation != IsolationMode.Session)
        {
            return;
        }

        var lease = await pool.AcquireExistingAsync(tenant, sessionId).ConfigureAwait(false);
        if (lease is not null)
        {
            await pool.ReleaseAsync(lease, "session ended").ConfigureAwait(false);
        }
    }

    public IDisposable SubscribeNotifications(string server, string? tenant, IRelatedMessageSink sink)
    {
        ArgumentNullException.ThrowIfNull(sink);
        return Find(server).Subscribe(tenant, sink);
    }

    /// <summary>Starts the warm minimum of every shared server.</summary>
    public void Start()
    {
        foreach (var pool in _pools.Values)
        {
            pool.EnsureMinimum();
        }
    }

    /// <summary>The watchdog: call timeouts, recycling, idle slots and sessions. Cancellation is the normal way out.</summary>
    public async Task RunMaintenanceAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_options.MaintenanceInterval, _timeProvider);
        var ticks = 0L;
        var memoryEvery = Math.Max(1, (int)(TimeSpan.FromSeconds(1) / _options.MaintenanceInterval));
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                var checkMemory = ++ticks % memoryEvery == 0;
                foreach (var pool in _pools.Values)
                {
                    pool.Tick(checkMemory);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>
    /// Takes no new leases, lets in-flight calls finish within <paramref name="grace"/>, then stops every
    /// process. Returns how many calls and leases were in flight when the drain began.
    /// </summary>
    public async Task<int> DrainAsync(TimeSpan grace, CancellationToken cancellationToken)
    {
        foreach (var pool in _pools.Values)
        {
            pool.BeginDrain();
        }

        var inFlightAtStart = InFlight();
        PoolLog.Draining(_logger, inFlightAtStart, grace.TotalSeconds);
        var started = _timeProvider.GetTimestamp();
        using (var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(20), _timeProvider))
        {
            try
            {
                while (InFlight() > 0 && _timeProvider.GetElapsedTime(started) < grace && await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
                {
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
            }
        }

        if (InFlight() is var left and > 0)
        {
            PoolLog.DrainExpired(_logger, left);
        }

        await StopAsync().ConfigureAwait(false);
        return inFlightAtStart;
    }

    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 0)
        {
            await Task.WhenAll(_pools.Values.Select(p => p.StopAsync())).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _spawner.Dispose();
    }

    /// <summary>Slots of a server as the tests and the admin view see them.</summary>
    internal IReadOnlyList<(SlotState State, bool Busy, int ProcessId, string? Tenant)> Snapshot(string server) => Find(server).Snapshot();

    private int InFlight() => _pools.Values.Sum(p => p.InFlight());

    private ServerPool Find(string server) => _pools.TryGetValue(server, out var pool)
        ? pool
        : throw new WorkerPoolException(PoolError.UnknownServer, $"No server named '{server}' in this worker's catalog.");

    private IEnumerable<Measurement<int>> ObserveSlots()
    {
        foreach (var (name, pool) in _pools)
        {
            int busy = 0, idle = 0, starting = 0, backoff = 0;
            foreach (var slot in pool.Snapshot())
            {
                switch (slot.State)
                {
                    case SlotState.Ready when slot.Busy: busy++; break;
                    case SlotState.Ready: idle++; break;
                    case SlotState.Starting: starting++; break;
                    case SlotState.Backoff: backoff++; break;
                }
            }

            yield return new(busy, new("mcp.server", name), new("mcp.slot.state", "busy"));
            yield return new(idle, new("mcp.server", name), new("mcp.slot.state", "idle"));
            yield return new(starting, new("mcp.server", name), new("mcp.slot.state", "starting"));
            yield return new(backoff, new("mcp.server", name), new("mcp.slot.state", "backoff"));
        }
    }
}
