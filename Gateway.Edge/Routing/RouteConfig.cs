namespace McpPlatform.Gateway.Edge.Routing;

/// <summary>
/// One entry of the edge's route table: requests whose path matches <see cref="Path"/> are
/// forwarded to the replicas of <see cref="Service"/>.
/// </summary>
/// <remarks>
/// <code>
/// "Edge": { "Routes": {
///   "account": { "Path": "/account/{**rest}", "Service": "identity" },
///   "slow":    { "Path": "/reports/{**rest}", "Service": "access-api", "Endpoint": "http", "ActivityTimeout": "00:10:00" }
/// } }
/// </code>
/// </remarks>
public sealed class RouteConfig
{
    /// <summary>An ASP.NET Core route template; <c>{**rest}</c> matches the prefix itself and everything below it.</summary>
    public string? Path { get; set; }

    /// <summary>The service whose addresses come from <c>services__{Service}__{Endpoint}__{n}</c>.</summary>
    public string? Service { get; set; }

    /// <summary>The service's named endpoint (default <c>http</c>).</summary>
    public string Endpoint { get; set; } = "http";

    /// <summary>Overrides <c>Edge:Forwarder:ActivityTimeout</c> for this route.</summary>
    public TimeSpan? ActivityTimeout { get; set; }
}
