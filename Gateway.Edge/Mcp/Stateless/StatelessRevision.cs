using McpPlatform.Gateway.Edge.Mcp.Transport;

namespace McpPlatform.Gateway.Edge.Mcp.Stateless;

/// <summary>The 2026-07-28 revision's names: version, <c>_meta</c> keys, headers and its error codes.</summary>
internal static class StatelessRevision
{
    public const string Version = "2026-07-28";

    public const string MetaPrefix = "io.modelcontextprotocol/";
    public const string ProtocolVersionKey = MetaPrefix + "protocolVersion";
    public const string ClientInfoKey = MetaPrefix + "clientInfo";
    public const string ClientCapabilitiesKey = MetaPrefix + "clientCapabilities";
    public const string ServerInfoKey = MetaPrefix + "serverInfo";
    public const string SubscriptionIdKey = MetaPrefix + "subscriptionId";

    public const string MethodHeader = "Mcp-Method";
    public const string NameHeader = "Mcp-Name";

    /// <summary>HTTP headers do not match the body, or a required one is missing.</summary>
    public const int HeaderMismatch = -32020;

    public const int UnsupportedProtocolVersion = -32022;

    /// <summary>What the endpoint serves: this revision statelessly, the others through <c>initialize</c>.</summary>
    public static readonly string[] SupportedVersions = [Version, ProtocolVersions.V20251125, ProtocolVersions.V20250618, ProtocolVersions.V20250326];

    /// <summary>
    /// A POST this revision answers: its <c>MCP-Protocol-Version</c> names a revision the sessionful path does not
    /// speak (2026-07-28, or an unknown one, which gets the modern UnsupportedProtocolVersion error).
    /// </summary>
    public static bool Claims(HttpRequest request)
    {
        var header = request.Headers["MCP-Protocol-Version"].ToString();
        return header.Length > 0 && !ProtocolVersions.IsSupported(header);
    }

    /// <summary>True for a revision without initialize (an upstream that takes per-request <c>_meta</c> as is).</summary>
    public static bool IsModern(string? version) => string.CompareOrdinal(version, Version) >= 0;

    /// <summary>Methods the revision removed or replaced: 404 with -32601, as for any method the server lacks.</summary>
    public static bool IsRemoved(string method) => method is "initialize" or "ping" or "logging/setLevel" or "resources/subscribe" or "resources/unsubscribe";

    /// <summary>Results that carry <c>ttlMs</c> and <c>cacheScope</c> (CacheableResult).</summary>
    public static bool IsCacheable(string method) => method is "tools/list" or "prompts/list" or "resources/list" or "resources/templates/list" or "resources/read" or "server/discover";
}
