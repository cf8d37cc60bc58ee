using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace McpPlatform.Redis.Diagnostics;

/// <summary>The client's meter and activity source; the platform's OpenTelemetry listens to every "McpPlatform.*" name.</summary>
public static class RedisTelemetry
{
    /// <summary>The name of the meter and of the activity source.</summary>
    public const string Name = "McpPlatform.Redis";

    /// <summary>Traces of commands (only recorded when a listener is attached).</summary>
    public static readonly ActivitySource ActivitySource = new(Name);

    private static readonly Meter Meter = new(Name);

    internal static readonly Counter<long> Commands = Meter.CreateCounter<long>("redis.client.commands", description: "Commands queued to Redis.");

    internal static readonly Counter<long> Timeouts = Meter.CreateCounter<long>("redis.client.timeouts", description: "Commands that got no reply in time.");

    internal static readonly Counter<long> Reconnects = Meter.CreateCounter<long>("redis.client.reconnects", description: "Connections re-established after a failure.");

    internal static readonly Counter<long> ScriptReloads = Meter.CreateCounter<long>("redis.client.script_reloads", description: "Scripts loaded again after NOSCRIPT.");
}
