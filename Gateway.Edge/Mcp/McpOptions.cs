namespace McpPlatform.Gateway.Edge.Mcp;

/// <summary>
/// Section <c>Gateway:Mcp</c>, the Streamable HTTP transport at <c>/mcp/{server}</c>:
/// <code>
/// "Gateway": { "Mcp": {
///   "AllowedOrigins": [ "https://app.example.com" ],  // besides the gateway's own host and loopback
///   "MaxMessageBytes": 4194304,                       // a POST body above this is 413
///   "KeepAliveInterval": "00:00:15",                  // SSE comment on an idle stream
///   "RequestTimeout": null,                           // none: a long tool call is never cut by the gateway
///   "SseRetry": "00:00:01",                           // the retry: field of 2025-11-25 priming events
///   "SessionCacheTime": "00:00:01",                   // how long a replica trusts its copy of a session record
///   "CatalogCacheTime": "00:00:05",                   // how long the dispatcher's server list is reused
///   "SessionIdleTimeout": "00:30:00"                  // session-mode slot released after this much silence
/// } }
/// </code>
/// </summary>
public sealed class McpOptions
{
    public const string SectionName = "Gateway:Mcp";

    /// <summary>Origins allowed besides the request's own host and loopback origins (exact match, scheme://host[:port]).</summary>
    public List<string> AllowedOrigins { get; set; } = [];

    /// <summary>The largest JSON-RPC POST body (default 4 MiB); larger ones get 413.</summary>
    public int MaxMessageBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>How often an idle SSE stream gets a keepalive comment (default 15 s), so proxies keep it open.</summary>
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Gateway-side limit on one relayed request (default none: only the worker's call timeout applies).</summary>
    public TimeSpan? RequestTimeout { get; set; }

    /// <summary>The <c>retry:</c> sent with priming events to 2025-11-25 clients (default 1 s).</summary>
    public TimeSpan SseRetry { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a replica reuses a session record before asking the store again (default 1 s; a deleted session lives at most this long elsewhere).</summary>
    public TimeSpan SessionCacheTime { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long the dispatcher's server list is reused (default 5 s).</summary>
    public TimeSpan CatalogCacheTime { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>A session-isolation server's slot is released after this much silence (default 30 min).</summary>
    public TimeSpan SessionIdleTimeout { get; set; } = TimeSpan.FromMinutes(30);
}
