using Grpc.Core;
using McpPlatform.Contracts.Common.V1;
using McpPlatform.Contracts.Dispatch.V1;
using McpPlatform.Contracts.Worker.V1;
using Microsoft.Extensions.Logging;

namespace McpPlatform.Dispatcher.Grpc.Telemetry;

/// <summary>The dispatcher's log lines (source-generated).</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Worker {WorkerId} registered at {Address} with {Servers} servers and capacity {Capacity}")]
    public static partial void WorkerRegistered(ILogger logger, string workerId, string address, int servers, int capacity);

    [LoggerMessage(2, LogLevel.Warning, "Worker {WorkerId} was lost (no heartbeat); its leases were returned")]
    public static partial void WorkerLost(ILogger logger, string workerId);

    [LoggerMessage(3, LogLevel.Information, "Worker {WorkerId} deregistered")]
    public static partial void WorkerDeregistered(ILogger logger, string workerId);

    [LoggerMessage(4, LogLevel.Warning, "Worker {WorkerId} could not be reached ({Status}); trying another worker")]
    public static partial void WorkerUnreachable(ILogger logger, string workerId, StatusCode status);

    [LoggerMessage(5, LogLevel.Warning, "Call on worker {WorkerId} slot {SlotId} failed: {Reason}")]
    public static partial void WorkerCallFailed(ILogger logger, string workerId, string slotId, string reason);

    [LoggerMessage(6, LogLevel.Information, "Busy answer for server {Server}: {Reason} (queue depth {Depth})")]
    public static partial void BusyAnswer(ILogger logger, string server, Busy.Types.Reason reason, int depth);

    [LoggerMessage(7, LogLevel.Warning, "Lease {SlotKey} could not be renewed; it lapsed")]
    public static partial void LeaseLapsed(ILogger logger, string slotKey);

    [LoggerMessage(8, LogLevel.Error, "Dispatcher loop {Loop} failed")]
    public static partial void LoopFailed(ILogger logger, string loop, Exception exception);

    [LoggerMessage(9, LogLevel.Information, "Session {SessionId} on {Server} closed: {Reason}")]
    public static partial void SessionClosed(ILogger logger, string sessionId, string server, SessionClosed.Types.Reason reason);

    [LoggerMessage(10, LogLevel.Debug, "List cache for {Server} {Method} dropped ({Why})")]
    public static partial void ListCacheDropped(ILogger logger, string server, string method, string why);

    [LoggerMessage(11, LogLevel.Warning, "Slot failure from worker {WorkerId}: {Reason}")]
    public static partial void SlotFailed(ILogger logger, string workerId, SlotFailure.Types.Reason reason);
}
