namespace McpPlatform.Gateway.Edge.LoadBalancing;

/// <summary>The upstream services the route table names, each with its replicas.</summary>
public interface IClusterRegistry
{
    /// <summary>Every cluster known so far.</summary>
    IReadOnlyCollection<ServiceCluster> Clusters { get; }

    /// <summary>The cluster of <paramref name="service"/>'s <paramref name="endpoint"/>, created on first use.</summary>
    ServiceCluster Get(string service, string endpoint);
}
