namespace McpPlatform.Worker.Host.Catalog;

/// <summary>One stdio MCP server in the catalog (<c>Worker:Servers:{name}</c>).</summary>
/// <remarks>
/// Expected JSON shape, with every default shown:
/// <code>
/// "Worker": { "Servers": { "echo": {
///   "Command": "dotnet",                      // required; resolved on PATH unless it contains '/'
///   "Args": [ "{repo}/samples/EchoServer/bin/Debug/net10.0/EchoServer.dll" ],
///   "Env": { "KEY": "value" },                 // {tenant}, {workspace}, {repo}, {npm}, {configuration} substituted in Args and Env
///   "TenantEnv": { "acme": { "API_TOKEN": "…" } }, // extra variables for one tenant's processes (tenant/session modes)
///   "WorkingDirectoryPolicy": "Workspace",     // Workspace | Fixed | Inherit
///   "WorkingDirectory": null,                  // required when the policy is Fixed
///   "ProtocolVersion": "2025-06-18",           // the revision the host speaks in its own initialize (shared/tenant)
///   "Isolation": "Shared",                     // Shared | Tenant | Session
///   "MinSlots": 0, "MaxSlots": 4,
///   "MaxConcurrentCallsPerSlot": 1,            // shared/tenant: calls multiplexed on one process
///   "CallTimeout": "00:00:30",                 // past it the process is killed and restarted; the call gets an error
///   "InitializeTimeout": "00:00:15",           // spawn + initialize handshake
///   "AcquireTimeout": "00:00:05",              // bounded wait for a free slot, then "busy"
///   "IdleTimeout": "00:10:00",                 // idle slots above MinSlots stop; idle sessions are released
///   "RecycleAfterCalls": 0, "RecycleAfter": "00:00:00", // 0 = never
///   "MemoryCeilingMb": 0,                      // RSS ceiling; 0 = none
///   "MaxLineBytes": 4194304,                   // longest JSON-RPC line accepted from the server
///   "StopGracePeriod": "00:00:02",             // stop/recycle/session end: stdin closed, then the group is killed
///   "RestartBackoff": "00:00:00.200", "MaxRestartBackoff": "00:00:30",
///   "Optional": false                          // true: left out (one log line) when the command or script is missing
/// } } }
/// </code>
/// </remarks>
public sealed class ServerDefinition
{
    /// <summary>The catalog key; filled in from the configuration section name.</summary>
    public string Name { get; set; } = string.Empty;

    public string Command { get; set; } = string.Empty;

    public List<string> Args { get; set; } = [];

    public Dictionary<string, string> Env { get; set; } = new(StringComparer.Ordinal);

    public Dictionary<string, Dictionary<string, string>> TenantEnv { get; set; } = new(StringComparer.Ordinal);

    public WorkingDirectoryPolicy WorkingDirectoryPolicy { get; set; } = WorkingDirectoryPolicy.Workspace;

    public string? WorkingDirectory { get; set; }

    public string ProtocolVersion { get; set; } = "2025-06-18";

    public IsolationMode Isolation { get; set; } = IsolationMode.Shared;

    public int MinSlots { get; set; }

    public int MaxSlots { get; set; } = 4;

    public int MaxConcurrentCallsPerSlot { get; set; } = 1;

    public TimeSpan CallTimeout { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan InitializeTimeout { get; set; } = TimeSpan.FromSeconds(15);

    public TimeSpan AcquireTimeout { get; set; } = TimeSpan.FromSeconds(5);

    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(10);

    public int RecycleAfterCalls { get; set; }

    public TimeSpan RecycleAfter { get; set; }

    public int MemoryCeilingMb { get; set; }

    public int MaxLineBytes { get; set; } = 4 * 1024 * 1024;

    public TimeSpan StopGracePeriod { get; set; } = TimeSpan.FromSeconds(2);

    public TimeSpan RestartBackoff { get; set; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan MaxRestartBackoff { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Left out of the catalog, with one log line naming what is missing, when its command is not found or its script
    /// (the first argument, when it is an absolute path) does not exist; a required server's slots fail to start instead.
    /// </summary>
    public bool Optional { get; set; }
}
