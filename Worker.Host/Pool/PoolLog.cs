namespace McpPlatform.Worker.Host.Pool;

/// <summary>Source-generated log messages for the slot pool.</summary>
internal static partial class PoolLog
{
    [LoggerMessage(EventId = 1200, Level = LogLevel.Information, Message = "Server {Server} slot {Slot} ready (process {Pid})")]
    public static partial void SlotReady(ILogger logger, string server, int slot, int pid);

    [LoggerMessage(EventId = 1201, Level = LogLevel.Warning, Message = "Server {Server} slot {Slot} process ended ({Failure}): {Reason}; restarting in {DelayMs} ms")]
    public static partial void SlotEnded(ILogger logger, string server, int slot, RpcFailure failure, string reason, double delayMs);

    [LoggerMessage(EventId = 1202, Level = LogLevel.Warning, Message = "Server {Server} slot {Slot} could not start: {Reason}")]
    public static partial void StartFailed(ILogger logger, string server, int slot, string reason);

    [LoggerMessage(EventId = 1203, Level = LogLevel.Information, Message = "Server {Server} slot {Slot} recycled: {Reason}")]
    public static partial void Recycling(ILogger logger, string server, int slot, string reason);

    [LoggerMessage(EventId = 1204, Level = LogLevel.Information, Message = "Server {Server} slot {Slot} stopped: {Reason}")]
    public static partial void SlotStopped(ILogger logger, string server, int slot, string reason);

    [LoggerMessage(EventId = 1205, Level = LogLevel.Debug, Message = "Server {Server} sent {What}; dropped ({Why})")]
    public static partial void Dropped(ILogger logger, string server, string what, string why);

    [LoggerMessage(EventId = 1206, Level = LogLevel.Information, Message = "Draining: {InFlight} calls in flight, grace {GraceSeconds} s")]
    public static partial void Draining(ILogger logger, int inFlight, double graceSeconds);

    [LoggerMessage(EventId = 1207, Level = LogLevel.Warning, Message = "Drain grace period ended with {InFlight} calls still in flight; stopping processes")]
    public static partial void DrainExpired(ILogger logger, int inFlight);

    [LoggerMessage(EventId = 1208, Level = LogLevel.Information, Message = "Server {Server} session lease released: {Reason}")]
    public static partial void SessionReleased(ILogger logger, string server, string reason);

    [LoggerMessage(EventId = 1209, Level = LogLevel.Warning, Message = "Server {Server} left out of the catalog: {Missing}. It is optional; the npm servers need Node.js and their cache (Worker:NpmCache), which building Worker.Host with npm present fills once")]
    public static partial void OptionalServerLeftOut(ILogger logger, string server, string missing);

    [LoggerMessage(EventId = 1210, Level = LogLevel.Information, Message = "Server {Server} slot {Slot}: sent {Count} call(s) that its ended process never received to the new process")]
    public static partial void Resent(ILogger logger, string server, int slot, int count);
}
