using System.Diagnostics.Metrics;

namespace McpPlatform.Worker.Host.Pool;

/// <summary>
/// The pool's instruments on the "McpPlatform.Worker" meter (the platform's OpenTelemetry listens to
/// "McpPlatform.*"): slots by state per server, crashes, restarts, call latency, workspace disk use.
/// </summary>
internal sealed class PoolMetrics
{
    public const string MeterName = "McpPlatform.Worker";

    private readonly Counter<long> _crashes;
    private readonly Counter<long> _restarts;
    private readonly Histogram<double> _callDuration;

    public PoolMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        Meter = meterFactory.Create(MeterName);
        _crashes = Meter.CreateCounter<long>("mcp.worker.crashes", "{crash}", "Server processes that ended unexpectedly (crash, timeout kill, protocol violation, failed start).");
        _restarts = Meter.CreateCounter<long>("mcp.worker.restarts", "{restart}", "Server processes started again after one ended (including recycling).");
        _callDuration = Meter.CreateHistogram<double>("mcp.worker.call.duration", "ms", "Time from writing a request to the server to its answer.");
    }

    public Meter Meter { get; }

    public void Crashed(string server, RpcFailure failure) =>
        _crashes.Add(1, new("mcp.server", server), new("mcp.reason", JsonRpcErrors.ReasonOf(failure)));

    public void Restarted(string server) => _restarts.Add(1, new KeyValuePair<string, object?>("mcp.server", server));

    public void CallCompleted(string server, TimeSpan elapsed, RpcFailure failure) =>
        _callDuration.Record(elapsed.TotalMilliseconds, new("mcp.server", server), new("mcp.outcome", failure == RpcFailure.None ? "ok" : JsonRpcErrors.ReasonOf(failure)));

    /// <summary>Registers the observable slot gauge over the pools.</summary>
    public void ObserveSlots(Func<IEnumerable<Measurement<int>>> observe) =>
        Meter.CreateObservableGauge("mcp.worker.slots", observe, "{slot}", "Slots per server by state (busy, idle, starting, backoff).");

    /// <summary>Registers the observable workspace disk-use gauge.</summary>
    public void ObserveWorkspaceBytes(Func<long> observe) =>
        Meter.CreateObservableGauge("mcp.worker.workspace.bytes", observe, "By", "Total size of all workspace directories at the last cleaner pass.");
}
