namespace McpPlatform.Gateway.Edge.Mcp.Transport;

/// <summary>The MCP revisions the Streamable HTTP endpoint serves (protocol.md's table, sessionful ones).</summary>
internal static class ProtocolVersions
{
    public const string V20250326 = "2025-03-26";
    public const string V20250618 = "2025-06-18";
    public const string V20251125 = "2025-11-25";
    public const string Latest = V20251125;

    /// <summary>What a request without <c>MCP-Protocol-Version</c> is taken to speak (the spec's rule).</summary>
    public const string Default = V20250326;

    public static bool IsSupported(string? version) => version is "2024-11-05" or V20250326 or V20250618 or V20251125;

    /// <summary>The client's requested revision when the gateway speaks it, else the latest (the client decides whether to go on).</summary>
    public static string Negotiate(string? requested) => IsSupported(requested) ? requested! : Latest;

    /// <summary>2025-11-25 added SSE priming events and <c>retry:</c>.</summary>
    public static bool Primes(string? version) => string.CompareOrdinal(version, V20251125) >= 0;

    /// <summary>Only 2025-03-26 allowed JSON-RPC batches.</summary>
    public static bool AllowsBatches(string? version) => version == V20250326;
}
