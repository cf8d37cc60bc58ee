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
    private readonly IRouteTable _table;
    private readonly EdgeRequestHandler _handler;
    private readonly Lock _lock = new();
    private IReadOnlyList<Endpoint> _endpoints;
    private CancellationTokenSource _changed = new();

    public EdgeEndpointDataSource(IRouteTable table, EdgeRequestHandler handler)
    {
        _table = table;
        _handler = handler;
        _endpoints = Build();
        _table.Changed += OnChanged;
    }

    public override IReadOnlyList<Endpoint> Endpoints => _endpoints;

    public override IChangeToken GetChangeToken() => new CancellationChangeToken(_changed.Token);

    public void Dispose()
    {
        _table.Changed -= OnChanged;
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

    private Endpoint[] Build() => _table.Routes.Select(route =>
    {
        var builder = new RouteEndpointBuilder(_handler.HandleAsync, route.Pattern, order: 0)
        {
            DisplayName = $"edge route {route.Id} → {route.Service}",
        };
        builder.Metadata.Add(route);
        return builder.Build();
    }).ToArray();
}
