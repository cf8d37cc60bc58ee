namespace McpPlatform.Gateway.Edge.Mcp.Relay;

/// <summary>
/// How shared- and tenant-isolation requests reach the dispatcher, section <c>Gateway:Mcp:Relay</c>:
/// <code>
/// "Gateway": { "Mcp": { "Relay": {
///   "Multiplex": true,       // requests ride Dispatch.RelayMux streams; false: one Dispatch.Relay RPC per request
///   "StreamsPerTarget": 2    // long-lived RelayMux streams to the dispatcher (spread over its replicas), 1 to 64
/// } } }
/// </code>
/// </summary>
public sealed class RelayOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Gateway:Mcp:Relay";

    /// <summary>
    /// Multiplex requests on a few long-lived streams (default true): a request costs a few frames instead of an
    /// HTTP/2 stream with its client and server request setup. False falls back to one Relay RPC per request.
    /// </summary>
    public bool Multiplex { get; set; } = true;

    /// <summary>Long-lived streams (default 2); each opens on the next dispatcher replica in turn.</summary>
    public int StreamsPerTarget { get; set; } = 2;
}
