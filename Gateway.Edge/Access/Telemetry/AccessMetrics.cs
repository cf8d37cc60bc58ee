using System.Diagnostics.Metrics;

namespace McpPlatform.Gateway.Edge.Access.Telemetry;

/// <summary>
/// The access layer's instruments on the gateway's meter (<c>McpPlatform.Gateway.Edge</c>, exported by ServiceDefaults).
/// In Prometheus: <c>mcpplatform_gateway_key_validations_total</c>, <c>mcpplatform_gateway_access_denials_total</c>,
/// <c>mcpplatform_gateway_usage_buffer_depth</c>, <c>mcpplatform_gateway_usage_drained_total</c>,
/// <c>mcpplatform_gateway_usage_drain_failures_total</c>, <c>mcpplatform_gateway_usage_dropped_total</c>.
/// </summary>
internal sealed class AccessMetrics
{
    private readonly Meter _meter;
    private readonly Counter<long> _validations;
    private readonly Counter<long> _denials;
    private readonly Counter<long> _drained;
    private readonly Counter<long> _drainFailures;
    private readonly Counter<long> _dropped;

    public AccessMetrics(IMeterFactory meterFactory)
    {
        _meter = meterFactory.Create("McpPlatform.Gateway.Edge");
        _validations = _meter.CreateCounter<long>("mcpplatform.gateway.key_validations", "{validation}",
            "API-key checks by where the answer came from (cache, access_api, stale, format) and the result.");
        _denials = _meter.CreateCounter<long>("mcpplatform.gateway.access.denials", "{request}",
            "Requests refused by the access layer, by reason (invalid_token, insufficient_scope, rate_limited, quota_exceeded, …).");
        _drained = _meter.CreateCounter<long>("mcpplatform.gateway.usage.drained", "{event}",
            "Usage events Access.Api stored (or already had) and the buffer then forgot.");
        _drainFailures = _meter.CreateCounter<long>("mcpplatform.gateway.usage.drain.failures", "{batch}",
            "RecordUsage batches that failed and stay buffered for a retry.");
        _dropped = _meter.CreateCounter<long>("mcpplatform.gateway.usage.dropped", "{event}",
            "Usage events lost because a buffer was full (in-process buffer, or the stream could not be written).");
    }

    public void Validated(string source, string result) =>
        _validations.Add(1, new KeyValuePair<string, object?>("source", source), new KeyValuePair<string, object?>("result", result));

    public void Denied(string reason) => _denials.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void Drained(int events) => _drained.Add(events);

    public void DrainFailed() => _drainFailures.Add(1);

    public void Dropped(int events = 1) => _dropped.Add(events);

    /// <summary>Reports the buffer's depth (called once, by the buffer).</summary>
    public void TrackBufferDepth(Func<long> depth) =>
        _meter.CreateObservableGauge("mcpplatform.gateway.usage.buffer.depth", depth, "{event}",
            "Usage events waiting to be stored by Access.Api (in Redis: the whole stream, shared by every replica).");
}
