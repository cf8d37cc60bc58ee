using Grpc.Core;

namespace McpPlatform.Gateway.Edge.Mcp;

/// <summary>The MCP layer's log messages. Never a credential, never a message body; client input only as ids we issued.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 7001, Level = LogLevel.Warning, Message = "Dispatcher call for {Server} {Method} failed: {StatusCode} {Detail}")]
    public static partial void DispatcherFailed(ILogger logger, string server, string method, StatusCode statusCode, string detail);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Information, Message = "MCP session {SessionId} opened on {Server} (revision {ProtocolVersion}, isolation {Isolation})")]
    public static partial void SessionOpened(ILogger logger, string sessionId, string server, string protocolVersion, string isolation);

    [LoggerMessage(EventId = 7003, Level = LogLevel.Information, Message = "MCP session {SessionId} on {Server} ended: {Reason}")]
    public static partial void SessionEnded(ILogger logger, string sessionId, string server, string reason);

    [LoggerMessage(EventId = 7004, Level = LogLevel.Debug, Message = "MCP request refused: {Status} {Reason} on {Server}")]
    public static partial void Refused(ILogger logger, int status, string reason, string server);

    [LoggerMessage(EventId = 7005, Level = LogLevel.Warning, Message = "Session link {SessionId} on {Server} failed: {Detail}")]
    public static partial void SessionLinkFailed(ILogger logger, string sessionId, string server, string detail);

    [LoggerMessage(EventId = 7006, Level = LogLevel.Information, Message = "Session {SessionId} on {Server} re-attached on this replica (resumed: {Resumed})")]
    public static partial void SessionReattached(ILogger logger, string sessionId, string server, bool resumed);

    [LoggerMessage(EventId = 7007, Level = LogLevel.Debug, Message = "GET stream for session {SessionId} ended: {Reason}")]
    public static partial void GetStreamEnded(ILogger logger, string sessionId, string reason);
}
