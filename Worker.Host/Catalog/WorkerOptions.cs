namespace McpPlatform.Worker.Host.Catalog;

/// <summary>The <c>Worker</c> configuration section: the server catalog, workspaces and drain.</summary>
/// <remarks>
/// <code>
/// "Worker": {
///   "Servers": { "echo": { … see ServerDefinition … } },
///   "WorkspaceRoot": "",                  // empty: {temp}/mcp-platform-workspaces
///   "WorkspaceMaxAge": "7.00:00:00",      // unused workspaces older than this are deleted
///   "WorkspaceMaxTotalMb": 10240,         // then the oldest unused ones until the total fits
///   "WorkspaceCleanupInterval": "00:10:00",
///   "DrainGracePeriod": "00:00:20",       // on stop: in-flight calls get this long before processes are killed
///   "MaintenanceInterval": "00:00:00.100",// watchdog tick: call timeouts, idle timeouts, recycling
///   "RepoRoot": "",                       // substituted for {repo}; empty: found by walking up to McpPlatform.sln
///   "NpmCache": ""                        // substituted for {npm}; empty: {repo}/.tools/npm-servers
/// }
/// </code>
/// </remarks>
public sealed class WorkerOptions
{
    public const string SectionName = "Worker";

    public Dictionary<string, ServerDefinition> Servers { get; set; } = new(StringComparer.Ordinal);

    public string WorkspaceRoot { get; set; } = string.Empty;

    public TimeSpan WorkspaceMaxAge { get; set; } = TimeSpan.FromDays(7);

    public long WorkspaceMaxTotalMb { get; set; } = 10240;

    public TimeSpan WorkspaceCleanupInterval { get; set; } = TimeSpan.FromMinutes(10);

    public TimeSpan DrainGracePeriod { get; set; } = TimeSpan.FromSeconds(20);

    public TimeSpan MaintenanceInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    public string RepoRoot { get; set; } = string.Empty;

    /// <summary>Where the npm MCP servers are installed once (<c>node_modules/…</c> below it); never fetched per spawn.</summary>
    public string NpmCache { get; set; } = string.Empty;
}
