namespace McpPlatform.Worker.Host.Processes;

/// <summary>Source-generated log messages for server processes.</summary>
internal static partial class ProcessLog
{
    [LoggerMessage(EventId = 1100, Level = LogLevel.Information, Message = "Server {Server} process {Pid} started")]
    public static partial void Started(ILogger logger, string server, int pid);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Information, Message = "Server {Server} process {Pid} exited with code {ExitCode}: {Reason}")]
    public static partial void Exited(ILogger logger, string server, int pid, int exitCode, string reason);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Information, Message = "[{Server}:{Pid}] {Line}")]
    public static partial void Stderr(ILogger logger, string server, int pid, string line);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Warning, Message = "Server {Server} process {Pid} broke the stdio protocol: {Reason}")]
    public static partial void ProtocolViolation(ILogger logger, string server, int pid, string reason);

    [LoggerMessage(EventId = 1104, Level = LogLevel.Debug, Message = "Server {Server} process {Pid}: stdin closed ({Error})")]
    public static partial void StdinClosed(ILogger logger, string server, int pid, string error);
}
