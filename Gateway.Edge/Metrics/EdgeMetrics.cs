using System.Diagnostics;
using System.Diagnostics.Metrics;
using McpPlatform.Gateway.Edge.Forwarder;
using McpPlatform.Gateway.Edge.LoadBalancing;
using McpPlatform.Gateway.Edge.Routing;

namespace McpPlatform.Gateway.Edge.Metrics;

/// <summary>
/// The edge's instruments, on the meter ServiceDefaults exports with every <c>McpPlatform.*</c> meter.
/// In Prometheus: <c>mcpplatform_edge_forwarded_requests_total</c>,
/// <c>mcpplatform_edge_upstream_duration_seconds</c>, <c>mcpplatform_edge_upstream_health</c>,
/// <c>mcpplatform_edge_connections_rejected_total</c>.
/// </summary>
internal sealed class EdgeMetrics
{
    public const string MeterName = "McpPlatform.Gateway.Edge";

    private readonly Counter<long> _forwarded;
    private readonly Histogram<double> _latency;
    private readonly Counter<long> _rejected;

    private readonly Meter _meter;

    // Only the meter factory: Kestrel's setup needs these instruments while the host is being built,
    // before start-up validation has looked at the route table or the health options.
    public EdgeMetrics(IMeterFactory meterFactory)
    {
        var meter = _meter = meterFactory.Create(MeterName);
        _forwarded = meter.CreateCounter<long>(
            "mcpplatform.edge.forwarded_requests", "{request}",
            "Forwarding attempts by route, service, upstream replica and the status the attempt produced.");
        _latency = meter.CreateHistogram<double>(
            "mcpplatform.edge.upstream.duration", "s",
            "Time from sending a request upstream to its response headers (or its failure).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60] });
        _rejected = meter.CreateCounter<long>(
            "mcpplatform.edge.connections.rejected", "{connection}",
            "Connections closed at accept because their client IP was over its connection limit.");
    }

    /// <summary>Reports each replica's health from <paramref name="clusters"/> (called once, by the registry).</summary>
    public void TrackHealth(IClusterRegistry clusters, TimeSpan reactivation)
    {
        _meter.CreateObservableGauge(
            "mcpplatform.edge.upstream.health",
            () => clusters.Clusters.SelectMany(c => c.Destinations.Select(d => new Measurement<int>(
                d.IsAvailable(reactivation) ? 1 : 0,
                new KeyValuePair<string, object?>("service", c.Service),
                new KeyValuePair<string, object?>("upstream", d.Address.ToString())))),
            "{replica}",
            "1 when the replica gets traffic (healthy or not yet probed), 0 when probes or traffic marked it unhealthy.");
    }

    public void Forwarded(EdgeRoute route, DestinationState destination, ForwarderResult result)
    {
        var tags = new TagList
        {
            { "route", route.Id },
            { "service", route.Service },
            { "upstream", destination.Address.ToString() },
            { "http.response.status_code", result.Error is ForwarderError.None ? result.UpstreamStatus ?? 0 : result.Error.StatusCode() },
        };
        if (result.Error != ForwarderError.None)
        {
            tags.Add("error.type", result.Error.ToString());
        }
        _forwarded.Add(1, tags);
        _latency.Record(result.UpstreamLatency.TotalSeconds,
            new KeyValuePair<string, object?>("route", route.Id),
            new KeyValuePair<string, object?>("service", route.Service),
            new KeyValuePair<string, object?>("upstream", destination.Address.ToString()));
    }

    public void ConnectionRejected() => _rejected.Add(1, new KeyValuePair<string, object?>("reason", "per_ip_limit"));
}
