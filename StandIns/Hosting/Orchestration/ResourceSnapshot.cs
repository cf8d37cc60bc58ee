namespace McpPlatform.Hosting.Orchestration;

/// <summary>A resource as it is now: what the live table and the state file show.</summary>
/// <param name="Name">The resource's name.</param>
/// <param name="Kind">postgres, redis or project.</param>
/// <param name="State">Its state.</param>
/// <param name="Endpoints">Its addresses by endpoint name, one per replica.</param>
/// <param name="Pids">The process ids it runs (process-group leaders).</param>
/// <param name="Detail">How it runs or why it failed, for a person.</param>
/// <param name="ConnectionString">How to reach a database or cache (null for projects and absent resources).</param>
public sealed record ResourceSnapshot(
    string Name,
    string Kind,
    ResourceState State,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Endpoints,
    IReadOnlyList<int> Pids,
    string? Detail,
    string? ConnectionString)
{
    /// <summary>Every address of every endpoint.</summary>
    public IReadOnlyList<string> Urls => Endpoints.Values.SelectMany(u => u).ToArray();
}
