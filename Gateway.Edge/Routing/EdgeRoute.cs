using Microsoft.AspNetCore.Routing.Patterns;

namespace McpPlatform.Gateway.Edge.Routing;

/// <summary>A validated route, carried as endpoint metadata so the forwarder knows where a request goes.</summary>
/// <param name="Id">The route id (the key under <c>Edge:Routes</c>), used in logs and metrics.</param>
/// <param name="Pattern">The parsed path template.</param>
/// <param name="Service">The upstream service name.</param>
/// <param name="Endpoint">The service's endpoint name.</param>
/// <param name="ActivityTimeout">The route's own activity timeout, when it has one.</param>
public sealed record EdgeRoute(string Id, RoutePattern Pattern, string Service, string Endpoint, TimeSpan? ActivityTimeout)
{
    internal static EdgeRoute From(string id, RouteConfig config) =>
        new(id, RoutePatternFactory.Parse(config.Path!), config.Service!, config.Endpoint, config.ActivityTimeout);
}
