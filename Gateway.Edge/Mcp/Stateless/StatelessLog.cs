namespace McpPlatform.Gateway.Edge.Mcp.Stateless;

/// <summary>The 2026-07-28 bridge's log messages: names and methods only, never a body or a requestState.</summary>
internal static partial class StatelessLog
{
    [LoggerMessage(EventId = 7150, Level = LogLevel.Information, Message = "A {Method} on {Server} waited for input past the input timeout: its session was closed")]
    public static partial void InputTimedOut(ILogger logger, string server, string method);

    [LoggerMessage(EventId = 7151, Level = LogLevel.Debug, Message = "A {Method} on {Server} asked the client for input ({Asked})")]
    public static partial void InputRequired(ILogger logger, string server, string method, string asked);

    [LoggerMessage(EventId = 7152, Level = LogLevel.Warning, Message = "The private session for a {Method} on {Server} failed: {Detail}")]
    public static partial void BridgeFailed(ILogger logger, string server, string method, string detail);

    [LoggerMessage(EventId = 7153, Level = LogLevel.Warning, Message = "Could not record or look up which replica holds a waiting call: {Detail}")]
    public static partial void OwnerNotRecorded(ILogger logger, string detail);

    [LoggerMessage(EventId = 7154, Level = LogLevel.Warning, Message = "A retry sent on to replica {Replica} failed ({Error}): {Detail}")]
    public static partial void ForwardFailed(ILogger logger, string replica, string error, string detail);
}
