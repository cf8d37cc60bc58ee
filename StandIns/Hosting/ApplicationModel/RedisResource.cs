namespace McpPlatform.Hosting.ApplicationModel;

/// <summary>
/// A Redis server: a container when an engine answers, else a local <c>redis-server</c>, else
/// absent, in which case referencing services get no connection string and run single-node.
/// </summary>
public sealed class RedisResource(string name) : IResourceWithConnectionString
{
    /// <inheritdoc />
    public string Name { get; } = name;

    /// <summary>An external server's connection string (ElastiCache): no local server is started.</summary>
    public string? ExternalConnectionString { get; internal set; }

    /// <summary>The container image used when a container engine is available.</summary>
    public string Image { get; internal set; } = "docker.io/library/redis:7-alpine";

    /// <summary>True once the orchestrator found no way to run Redis.</summary>
    public bool IsAbsent { get; internal set; }

    /// <inheritdoc />
    public string? ConnectionString { get; internal set; }
}
