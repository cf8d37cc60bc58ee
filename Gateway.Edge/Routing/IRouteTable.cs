namespace McpPlatform.Gateway.Edge.Routing;

/// <summary>The current, validated route table.</summary>
public interface IRouteTable
{
    /// <summary>The routes in force.</summary>
    IReadOnlyList<EdgeRoute> Routes { get; }

    /// <summary>Raised after a reload replaced <see cref="Routes"/>.</summary>
    event Action? Changed;
}
