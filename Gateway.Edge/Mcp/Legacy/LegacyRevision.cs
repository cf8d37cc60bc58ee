namespace McpPlatform.Gateway.Edge.Mcp.Legacy;

/// <summary>The HTTP+SSE transport's names: its revision and the event-log stream that carries client messages between replicas.</summary>
internal static class LegacyRevision
{
    public const string Version = "2024-11-05";

    /// <summary>Session attribute marking a session as the legacy transport's (a Streamable HTTP session id is refused on its message endpoint, and the reverse).</summary>
    public const string TransportAttribute = "transport";

    public const string TransportName = "sse";

    /// <summary>The session event-log stream of client messages POSTed on a replica that does not hold the stream.</summary>
    public const string InboundStream = "in";

    /// <summary>The message endpoint announced in the <c>endpoint</c> event.</summary>
    public static string MessagesPath(HttpRequest request, string server, string sessionId) =>
        $"{request.PathBase}/sse/{Uri.EscapeDataString(server)}/messages?sessionId={Uri.EscapeDataString(sessionId)}";
}
