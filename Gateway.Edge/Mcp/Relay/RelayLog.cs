namespace McpPlatform.Gateway.Edge.Mcp.Relay;

/// <summary>The relay's own log messages (the MCP layer's shared ones are in <c>Mcp/Telemetry/Log.cs</c>).</summary>
internal static partial class RelayLog
{
    [LoggerMessage(EventId = 7301, Level = LogLevel.Information, Message = "Dispatcher did not start a relayed call for {Server} ({Detail}); retrying once on a fresh stream")]
    public static partial void DispatcherRetry(ILogger logger, string server, string detail);
}
