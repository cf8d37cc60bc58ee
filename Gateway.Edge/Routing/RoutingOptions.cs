namespace McpPlatform.Gateway.Edge.Routing;

/// <summary>
/// The route table, keyed by route id (ids make each entry overridable from the environment:
/// <c>Edge__Routes__account__Service=identity</c>). Validated as a whole at start by
/// <see cref="RoutingOptionsValidator"/>; a reload that fails validation keeps the last good table.
/// </summary>
/// <remarks>
/// <code>
/// "Edge": { "Routes": { "token": { "Path": "/token", "Service": "identity" }, … } }
/// </code>
/// </remarks>
public sealed class RoutingOptions
{
    /// <summary>The configuration section the options bind to (its <c>Routes</c> child).</summary>
    public const string SectionName = "Edge";

    /// <summary>Route id → route.</summary>
    public Dictionary<string, RouteConfig> Routes { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}
