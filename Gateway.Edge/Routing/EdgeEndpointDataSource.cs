using McpPlatform.Gateway.Edge.Forwarder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Primitives;

namespace McpPlatform.Gateway.Edge.Routing;

/// <summary>
/// Turns the route table into endpoints (YARP's shape: a data source of its own, not one
/// <c>Map</c> call per route), so a reloaded table changes the endpoints without a restart.
/// </summary>
internal sealed class EdgeEndpointDataSource : EndpointDataSource, IDisposable
{
    private readonly IServiceProvider _services;
    private readonly Lock _lock = new();
    private IRouteTable? _table;
    private EdgeRequestHandler? _handler;
    private IReadOnlyList<Endpoint>? _endpoints;
    private CancellationTokenSource _changed = new();

    // The route table is resolved on first use (routing builds its matcher at the first request), not
    // when MapEdgeForwarding runs, so a bad table fails start-up validation with every other problem.
    public EdgeEndpointDataSource(IServiceProvider services) => _services = services;

    public override IReadOnlyList<Endpoint> Endpoints
    {
        get
        {
            if (_endpoints is { } endpoints)
            {
                return endpoints;
            }
            lock (_lock)
            {
                if (_endpoints is null)
                {
                    _table = _services.GetRequiredService<IRouteTable>();
                    _handler = _services.GetRequiredService<EdgeRequestHandler>();
                    _endpoints = Build();
                    _table.Changed += OnChanged;
                }
                return _endpoints;
            }
        }
    }

    public override IChangeToken GetChangeToken() => new CancellationChangeToken(_changed.Token);

    public void Dispose()
    {
        if (_table is not null)
        {
            _table.Changed -= OnChanged;
        }
        _changed.Dispose();
    }

    private void OnChanged()
    {
        CancellationTokenSource previous;
        lock (_lock)
        {
            _endpoints = Build();
            previous = _changed;
            _changed = new CancellationTokenSource();
        }
        previous.Cancel();
        previous.Dispose();
    }

    private Endpoint[] Build() => _table!.Routes.Select(route =>
    {
        var builder = new RouteEndpointBuilder(_handler!.HandleAsync, route.Pattern, order: 0)
        {
            DisplayName = $"edge route {route.Id} → {route.Service}",
        };
        builder.Metadata.Add(route);
        return builder.Build();
    }).ToArray();
}
