namespace McpPlatform.Gateway.Edge.Forwarder;

/// <summary>
/// How requests are forwarded upstream.
/// </summary>
/// <remarks>
/// <code>
/// "Edge": { "Forwarder": {
///   "ActivityTimeout": "00:01:40",   // no byte either way for this long → 504 (or abort mid-body)
///   "ConnectTimeout": "00:00:10",    // TCP (+TLS) connect to one replica
///   "UpstreamHttpVersion": "1.1",    // "1.1", or "2" (HTTP/2; cleartext upstreams need prior knowledge)
///   "PreserveHost": false,           // send the client's Host instead of the upstream's
///   "TrustForwardedHeaders": false,  // append to a client's X-Forwarded-For (only behind a trusted load balancer)
///   "AddForwardedHeader": false      // also send RFC 7239 Forwarded
/// } }
/// </code>
/// </remarks>
public sealed class ForwarderOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Edge:Forwarder";

    /// <summary>Longest silence (no byte read or written on either side) a forwarded exchange may have. Default 100 s.</summary>
    public TimeSpan ActivityTimeout { get; set; } = TimeSpan.FromSeconds(100);

    /// <summary>Longest a connection attempt to one replica may take. Default 10 s.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>HTTP version spoken to upstreams: "1.1" (default) or "2".</summary>
    public string UpstreamHttpVersion { get; set; } = "1.1";

    /// <summary>Send the client's Host header upstream (default false: the upstream's own authority).</summary>
    public bool PreserveHost { get; set; }

    /// <summary>
    /// Keep the client's X-Forwarded-For and append to it (default false: the edge is the trust
    /// boundary and replaces whatever the client sent). Turn on only behind a load balancer that sets it.
    /// </summary>
    public bool TrustForwardedHeaders { get; set; }

    /// <summary>Also send the RFC 7239 <c>Forwarded</c> header (default false).</summary>
    public bool AddForwardedHeader { get; set; }
}
