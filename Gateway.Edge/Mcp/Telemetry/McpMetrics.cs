using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace McpPlatform.Gateway.Edge.Mcp;

/// <summary>
/// Meter <c>McpPlatform.Gateway.Mcp</c>: MCP requests by server, method and status; sessions opened and closed on this
/// replica; SSE streams open. Method tags are limited to MCP's own methods so client input cannot blow up cardinality.
/// </summary>
internal sealed class McpMetrics
{
    public const string MeterName = "McpPlatform.Gateway.Mcp";

    private static readonly HashSet<string> KnownMethods = new(StringComparer.Ordinal)
    {
        "initialize", "ping", "tools/list", "tools/call", "resources/list", "resources/read", "resources/templates/list",
        "resources/subscribe", "resources/unsubscribe", "prompts/list", "prompts/get", "completion/complete",
        "logging/setLevel", "notifications/initialized", "notifications/cancelled", "notifications/progress",
        "notifications/roots/list_changed", "response", "batch",
    };

    private readonly Counter<long> _requests;
    private readonly Histogram<double> _duration;
    private readonly UpDownCounter<long> _sessions;
    private readonly UpDownCounter<long> _sseStreams;

    public McpMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _requests = meter.CreateCounter<long>("mcp.gateway.requests", description: "MCP messages received, by server, method and HTTP status.");
        _duration = meter.CreateHistogram<double>("mcp.gateway.request.duration", unit: "s", description: "Time from receiving a POST to its last byte.");
        _sessions = meter.CreateUpDownCounter<long>("mcp.gateway.sessions.open", description: "Sessions opened minus sessions ended through this replica.");
        _sseStreams = meter.CreateUpDownCounter<long>("mcp.gateway.sse.streams", description: "SSE streams open on this replica (POST and GET).");
    }

    public void Request(string server, string method, int status, TimeSpan duration)
    {
        var tags = new TagList { { "server", server }, { "method", KnownMethods.Contains(method) ? method : "other" }, { "status", status } };
        _requests.Add(1, tags);
        _duration.Record(duration.TotalSeconds, tags);
    }

    public void SessionOpened(string server) => _sessions.Add(1, new KeyValuePair<string, object?>("server", server));

    public void SessionEnded(string server) => _sessions.Add(-1, new KeyValuePair<string, object?>("server", server));

    public void SseOpened(string kind) => _sseStreams.Add(1, new KeyValuePair<string, object?>("kind", kind));

    public void SseClosed(string kind) => _sseStreams.Add(-1, new KeyValuePair<string, object?>("kind", kind));
}
