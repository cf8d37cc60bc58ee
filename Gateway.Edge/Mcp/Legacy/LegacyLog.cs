namespace McpPlatform.Gateway.Edge.Mcp.Legacy;

/// <summary>The legacy transport's log messages: ids we issued and reasons, never a message body or a credential.</summary>
internal static partial class LegacyLog
{
    [LoggerMessage(EventId = 7101, Level = LogLevel.Information, Message = "Legacy SSE session {SessionId} opened on {Server} (isolation {Isolation})")]
    public static partial void Opened(ILogger logger, string sessionId, string server, string isolation);

    [LoggerMessage(EventId = 7102, Level = LogLevel.Information, Message = "Legacy SSE session {SessionId} on {Server} ended: {Reason}")]
    public static partial void Ended(ILogger logger, string sessionId, string server, string reason);

    [LoggerMessage(EventId = 7103, Level = LogLevel.Debug, Message = "Legacy SSE request refused: {Status} {Reason} on {Server}")]
    public static partial void Refused(ILogger logger, int status, string reason, string server);

    [LoggerMessage(EventId = 7104, Level = LogLevel.Warning, Message = "Legacy SSE relay for {Server} {Method} failed: {Detail}")]
    public static partial void RelayFailed(ILogger logger, string server, string method, string detail);
}
