namespace McpPlatform.Gateway.Edge.Limits;

/// <summary>
/// Kestrel limits for the public edge. Defaults are Kestrel's own where it has one, so an
/// unconfigured edge behaves like a plain ASP.NET Core app, plus the per-IP connection cap.
/// </summary>
/// <remarks>
/// <code>
/// "Edge": { "Limits": {
///   "MaxRequestBodySize": 30000000,          // bytes; null = unlimited; over it → 413
///   "MaxRequestHeadersTotalSize": 32768,     // bytes; over it → 431
///   "MaxRequestHeaderCount": 100,            // over it → 431
///   "MaxRequestLineSize": 8192,              // bytes; over it → 414
///   "MaxConcurrentConnections": null,        // null = unlimited; over it the connection is closed at accept
///   "MaxConnectionsPerClientIp": 256,        // 0 = unlimited; counts TCP peers (set 0 behind a load balancer)
///   "KeepAliveTimeout": "00:02:10",
///   "RequestHeadersTimeout": "00:00:30",
///   "Http2MaxStreamsPerConnection": 100
/// } }
/// </code>
/// </remarks>
public sealed class LimitsOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Edge:Limits";

    /// <summary>Largest request body in bytes (null: unlimited). Default 30,000,000 (Kestrel's).</summary>
    public long? MaxRequestBodySize { get; set; } = 30_000_000;

    /// <summary>Largest total size of the request headers in bytes. Default 32 KiB.</summary>
    public int MaxRequestHeadersTotalSize { get; set; } = 32 * 1024;

    /// <summary>Most request headers. Default 100.</summary>
    public int MaxRequestHeaderCount { get; set; } = 100;

    /// <summary>Longest HTTP/1.1 request line in bytes. Default 8 KiB.</summary>
    public int MaxRequestLineSize { get; set; } = 8 * 1024;

    /// <summary>Most open connections in all (null: unlimited, the default).</summary>
    public long? MaxConcurrentConnections { get; set; }

    /// <summary>Most open connections from one client IP address (0: unlimited). Default 256.</summary>
    public int MaxConnectionsPerClientIp { get; set; } = 256;

    /// <summary>How long an idle keep-alive connection stays open. Default 130 s (Kestrel's).</summary>
    public TimeSpan KeepAliveTimeout { get; set; } = TimeSpan.FromSeconds(130);

    /// <summary>How long a client may take to send its request headers. Default 30 s (Kestrel's).</summary>
    public TimeSpan RequestHeadersTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Concurrent HTTP/2 streams per connection. Default 100 (Kestrel's).</summary>
    public int Http2MaxStreamsPerConnection { get; set; } = 100;
}
