namespace McpPlatform.Gateway.Edge.Health;

/// <summary>
/// Upstream health: active probes of every replica, and passive evidence from real traffic.
/// </summary>
/// <remarks>
/// <code>
/// "Edge": { "Health": {
///   "Active":  { "Enabled": true, "Interval": "00:00:05", "Timeout": "00:00:05", "Path": "/health/ready" },
///   "Passive": { "Enabled": true, "ConsecutiveFailures": 3, "ReactivationPeriod": "00:00:30" }
/// } }
/// </code>
/// </remarks>
public sealed class HealthOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Edge:Health";

    /// <summary>Active probes.</summary>
    public ActiveHealthOptions Active { get; set; } = new();

    /// <summary>Passive (traffic-based) health.</summary>
    public PassiveHealthOptions Passive { get; set; } = new();
}

/// <summary>Every replica is probed with <c>GET {Path}</c> every <see cref="Interval"/>: 2xx is healthy, anything else (or no answer within <see cref="Timeout"/>) is not.</summary>
public sealed class ActiveHealthOptions
{
    /// <summary>Default true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Time between probe rounds. Default 5 s.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Time a probe may take. Default 5 s.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The path probed on each replica. Default <c>/health/ready</c> (every platform service serves it).</summary>
    public string Path { get; set; } = "/health/ready";
}

/// <summary>After <see cref="ConsecutiveFailures"/> connect failures in a row, a replica gets no traffic until a probe succeeds or <see cref="ReactivationPeriod"/> passes.</summary>
public sealed class PassiveHealthOptions
{
    /// <summary>Default true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Default 3.</summary>
    public int ConsecutiveFailures { get; set; } = 3;

    /// <summary>Default 30 s.</summary>
    public TimeSpan ReactivationPeriod { get; set; } = TimeSpan.FromSeconds(30);
}
