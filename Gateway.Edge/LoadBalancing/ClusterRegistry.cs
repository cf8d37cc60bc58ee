using System.Collections.Concurrent;
using McpPlatform.Gateway.Edge.Health;
using McpPlatform.Gateway.Edge.Metrics;
using McpPlatform.Gateway.Edge.Routing;
using McpPlatform.ServiceDefaults.Discovery;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace McpPlatform.Gateway.Edge.LoadBalancing;

/// <summary>
/// Builds clusters from the Aspire-style service settings (through ServiceDefaults'
/// <see cref="ServiceEndpointResolver"/>) and refreshes their addresses when configuration reloads.
/// </summary>
internal sealed partial class ClusterRegistry : IClusterRegistry, IDisposable
{
    private readonly ConcurrentDictionary<(string Service, string Endpoint), ServiceCluster> _clusters = new();
    private readonly ServiceEndpointResolver _resolver;
    private readonly TimeProvider _time;
    private readonly ILogger<ClusterRegistry> _logger;
    private readonly IRouteTable _routes;
    private readonly IDisposable _subscription;
    private readonly EdgeMetrics _metrics;
    private readonly IOptions<HealthOptions> _health;
    private readonly Lock _initializing = new();
    private volatile bool _initialized;

    public ClusterRegistry(
        ServiceEndpointResolver resolver,
        IRouteTable routes,
        IConfiguration configuration,
        EdgeMetrics metrics,
        IOptions<HealthOptions> health,
        TimeProvider time,
        ILogger<ClusterRegistry> logger)
    {
        _resolver = resolver;
        _time = time;
        _logger = logger;
        _routes = routes;
        _metrics = metrics;
        _health = health;
        _subscription = ChangeToken.OnChange(configuration.GetReloadToken, Refresh);
    }

    public IReadOnlyCollection<ServiceCluster> Clusters
    {
        get
        {
            EnsureInitialized();
            return _clusters.Values.ToArray();
        }
    }

    public ServiceCluster Get(string service, string endpoint)
    {
        EnsureInitialized();
        return GetOrCreate(service, endpoint);
    }

    // Options and routes are read on first use: the host builds this (through the health checker)
    // before start-up validation, which must be the one to report their problems.
    private void EnsureInitialized()
    {
        if (_initialized)
        {
            return;
        }
        lock (_initializing)
        {
            if (_initialized)
            {
                return;
            }
            _metrics.TrackHealth(this, _health.Value.Passive.ReactivationPeriod);
            _routes.Changed += EnsureRouteClusters;
            EnsureRouteClusters();
            _initialized = true;
        }
    }

    private ServiceCluster GetOrCreate(string service, string endpoint) =>
        _clusters.GetOrAdd((service, endpoint), key =>
        {
            var cluster = new ServiceCluster(key.Service, key.Endpoint);
            var addresses = _resolver.Resolve(key.Service, key.Endpoint);
            cluster.Update(addresses, _time);
            if (addresses.Count == 0)
            {
                LogNoAddress(_logger, key.Service, key.Endpoint);
            }
            else
            {
                LogAddresses(_logger, key.Service, key.Endpoint, addresses.Count, string.Join(", ", addresses));
            }
            return cluster;
        });

    public void Dispose()
    {
        _routes.Changed -= EnsureRouteClusters;
        _subscription.Dispose();
    }

    private void EnsureRouteClusters()
    {
        foreach (var route in _routes.Routes)
        {
            GetOrCreate(route.Service, route.Endpoint);
        }
    }

    private void Refresh()
    {
        foreach (var cluster in _clusters.Values)
        {
            cluster.Update(_resolver.Resolve(cluster.Service, cluster.Endpoint), _time);
        }
    }

    [LoggerMessage(EventId = 1200, Level = LogLevel.Warning, Message = "No address for service {Service} endpoint {Endpoint}: its routes answer 503 until a services__<service>__<endpoint>__0 setting gives one")]
    private static partial void LogNoAddress(ILogger logger, string service, string endpoint);

    [LoggerMessage(EventId = 1201, Level = LogLevel.Information, Message = "Service {Service} endpoint {Endpoint}: {AddressCount} replica(s) {Addresses}")]
    private static partial void LogAddresses(ILogger logger, string service, string endpoint, int addressCount, string addresses);
}
