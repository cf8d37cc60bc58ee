namespace McpPlatform.Gateway.Edge.Mcp.Stateless;

/// <summary>
/// Section <c>Gateway:Mcp:Stateless</c>, the 2026-07-28 revision on <c>/mcp/{server}</c>:
/// <code>
/// "Gateway": { "Mcp": { "Stateless": {
///   "CacheTtl": "00:01:00",   // ttlMs on list, read and discover results the upstream left without one
///   "CacheScope": "private",  // cacheScope on them: lists are filtered per caller, so not for shared caches
///   "InputTimeout": "00:05:00", // how long a session-isolation call that asked for input waits for the client's retry
///   "ReplicaUrl": null         // how other replicas reach this one (default: the first address Kestrel bound)
/// } } }
/// </code>
/// </summary>
public sealed class StatelessOptions
{
    public const string SectionName = "Gateway:Mcp:Stateless";

    /// <summary>The freshness hint put on cacheable results (default 1 min); list_changed on subscriptions/listen says sooner.</summary>
    public TimeSpan CacheTtl { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary><c>public</c> or <c>private</c> (default: tool lists depend on the caller's scopes).</summary>
    public string CacheScope { get; set; } = "private";

    /// <summary>
    /// A session-isolation server's request that answered <c>input_required</c> keeps its process waiting for the
    /// client's retry this long (default 5 min: a person may be answering an elicitation), then the process is released.
    /// </summary>
    public TimeSpan InputTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The base URL other gateway replicas send a retry on to when this replica holds its waiting call (default: the
    /// first address Kestrel bound, plain HTTP preferred, a wildcard host replaced by the machine's host name). Set it
    /// when that address is not reachable from the other replicas.
    /// </summary>
    public Uri? ReplicaUrl { get; set; }
}
