using Microsoft.Extensions.Logging;

namespace McpPlatform.Redis.Diagnostics;

internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Warning, "Redis {Role} connection to {EndPoint} lost with {InFlight} command(s) in flight: {Reason}")]
    public static partial void ConnectionLost(ILogger logger, string role, string endPoint, int inFlight, string reason);

    [LoggerMessage(2, LogLevel.Warning, "Redis {Role} connection to {EndPoint} failed (attempt {Attempt}): {Reason}")]
    public static partial void ConnectFailed(ILogger logger, string role, string endPoint, int attempt, string reason);

    [LoggerMessage(3, LogLevel.Information, "Redis {Role} connection to {EndPoint} restored")]
    public static partial void Reconnected(ILogger logger, string role, string endPoint);

    [LoggerMessage(4, LogLevel.Error, "A Redis subscription handler for {Channel} threw")]
    public static partial void HandlerFailed(ILogger logger, string channel, Exception exception);

    [LoggerMessage(5, LogLevel.Information, "Redis subscriptions restored after reconnect: {Channels} channel(s), {Patterns} pattern(s)")]
    public static partial void Resubscribed(ILogger logger, int channels, int patterns);
}
