namespace McpPlatform.Gateway.Edge.Mcp.Sse;

/// <summary>The SSE streams' log messages (ids only: a Last-Event-ID is client input and is never logged).</summary>
internal static partial class SseLog
{
    [LoggerMessage(EventId = 7180, Level = LogLevel.Warning, Message = "POST stream {Stream} of session {SessionId} could not be logged; it cannot be resumed")]
    public static partial void PostStreamNotLogged(ILogger logger, string sessionId, string stream, Exception exception);

    [LoggerMessage(EventId = 7181, Level = LogLevel.Debug, Message = "Resumed POST stream {Stream} of session {SessionId} ended: {Reason}")]
    public static partial void PostStreamResumeEnded(ILogger logger, string sessionId, string stream, string reason);
}
