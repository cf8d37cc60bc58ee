using McpPlatform.Bench.Gateway.Measurement;

namespace McpPlatform.Bench.Gateway.Report;

/// <summary>Everything measured on one target; throughput and latency keep the best of the rounds.</summary>
public sealed class TargetResult(string name)
{
    public string Name { get; } = name;

    /// <summary>Why the target could not be measured (it did not start, or failed midway).</summary>
    public string? Failure { get; set; }

    public double SetupP50Ms { get; set; } = double.NaN;
    public double SetupP99Ms { get; set; } = double.NaN;
    public double SequentialP50Ms { get; set; } = double.NaN;
    public double SequentialP99Ms { get; set; } = double.NaN;

    /// <summary>Calls per second by concurrent sessions (16, 64).</summary>
    public Dictionary<int, double> Throughput { get; } = [];

    public Dictionary<int, double> P50Ms { get; } = [];
    public Dictionary<int, double> P99Ms { get; } = [];

    /// <summary>Target CPU (stdio server excluded) per call at 64 sessions, µs; NaN when the target has no processes of its own.</summary>
    public double CpuPerCallMicros { get; set; } = double.NaN;

    /// <summary>CPU µs per call by process, at 64 sessions, from the best round.</summary>
    public Dictionary<string, double> CpuByProcess { get; set; } = [];

    /// <summary>Samples at 1, 10 and 50 open idle sessions.</summary>
    public Dictionary<int, TreeSample> Memory { get; } = [];

    /// <summary>Stdio server processes still running 3 s after the memory scenario closed its sessions; -1 when not measured.</summary>
    public int ServersAfterClose { get; set; } = -1;

    public Tally Calls { get; } = new();

    /// <summary>Answers that reached a session with an id none of its requests had (someone else's answer).</summary>
    public long Strays { get; set; }

    public CrashResult? Crash { get; set; }

    /// <summary>The paired auth/no-auth measurement by concurrency (the authenticated platform row only).</summary>
    public Dictionary<int, AuthRatioResult> AuthRatios { get; } = [];

    /// <summary>The TypeScript SDK client's figures (best round), when the target speaks Streamable HTTP.</summary>
    public SdkResult? Sdk { get; set; }

    public List<string> Notes { get; } = [];

    /// <summary>Processes added per open session between 1 and 50 sessions.</summary>
    public double ProcessesPerSession => Memory.TryGetValue(1, out var one) && Memory.TryGetValue(50, out var fifty)
        ? (fifty.Processes - one.Processes) / 49.0 : double.NaN;

    /// <summary>RSS added per idle session between 1 and 50 sessions, KiB.</summary>
    public double KiBPerIdleSession => Memory.TryGetValue(1, out var one) && Memory.TryGetValue(50, out var fifty)
        ? (fifty.RssBytes - one.RssBytes) / 49.0 / 1024 : double.NaN;

    /// <summary>Calls that got someone else's answer or none.</summary>
    public long WrongOrLost => Calls.Wrong + Calls.Lost;
}

/// <summary>What happened when the stdio server was killed during a call.</summary>
/// <summary>Issue 6's paired measurement at one concurrency (see AuthRatioScenario).</summary>
public sealed record AuthRatioResult(double WithAuth, double WithoutAuth, double CpuWithAuthMicros, double CpuWithoutAuthMicros, int Pairs, long Failed)
{
    public double Percent => WithAuth / WithoutAuth * 100;
}

public sealed record CrashResult(string InFlight, bool GatewayAlive, string SameSession, string NewSession, int Killed);

/// <summary>The TypeScript SDK client at 16 sessions: calls/s, p50, its own CPU per call, wrong answers and errors.</summary>
public sealed record SdkResult(double CallsPerSecond, double P50Ms, double ClientCpuMicrosPerCall, long Wrong, long Errors);
