using Google.Protobuf;
using Grpc.Core;
using McpPlatform.Contracts.Worker.V1;
using McpPlatform.Worker.Host.Pool;

namespace McpPlatform.Worker.Host.Grpc;

/// <summary>
/// Turns the pool's answers into the worker contract: a response into a <c>result</c> event, a failure the pool
/// answered itself into a <c>failure</c> event naming its reason, and a lease that could not be given into a status.
/// </summary>
internal static class WorkerAnswers
{
    public static ExecuteEvent Result(in RpcMessage response) => response.Failure switch
    {
        // A cancelled call is answered to the client (-32800 with its id); it is not a slot failure.
        RpcFailure.None or RpcFailure.Cancelled => new ExecuteEvent { Result = ByteString.CopyFrom(response.Json.Span) },
        var failure => new ExecuteEvent { Failure = Failure(failure, response.FailureMessage) },
    };

    public static SlotFailure Failure(RpcFailure failure, string? message) => new()
    {
        Reason = failure switch
        {
            RpcFailure.Timeout => SlotFailure.Types.Reason.Timeout,
            RpcFailure.ProcessExited or RpcFailure.StartFailed => SlotFailure.Types.Reason.ProcessExited,
            RpcFailure.ProtocolViolation => SlotFailure.Types.Reason.ProtocolError,
            RpcFailure.Stopped => SlotFailure.Types.Reason.LeaseInvalid,
            _ => SlotFailure.Types.Reason.Unspecified,
        },
        Message = message ?? failure.ToString(),
    };

    /// <summary>
    /// A lease the pool could not give, as a gRPC status the caller can act on: an unknown server is NOT_FOUND,
    /// a busy pool RESOURCE_EXHAUSTED (retry later), a draining host UNAVAILABLE (retry on another worker).
    /// An ended session is answered with a <c>failure</c> instead (see <see cref="IsLeaseInvalid"/>).
    /// </summary>
    public static RpcException Status(WorkerPoolException error) => new(new Status(
        error.Error switch
        {
            PoolError.UnknownServer => StatusCode.NotFound,
            PoolError.Busy => StatusCode.ResourceExhausted,
            PoolError.Draining => StatusCode.Unavailable,
            _ => StatusCode.FailedPrecondition,
        },
        error.Message));

    public static bool IsLeaseInvalid(WorkerPoolException error) => error.Error == PoolError.SessionEnded;

    public static RpcException Invalid(string message) => new(new Status(StatusCode.InvalidArgument, message));
}
