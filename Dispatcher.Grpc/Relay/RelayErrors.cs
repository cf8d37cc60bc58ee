using McpPlatform.Contracts.Worker.V1;
using McpPlatform.Protocol.JsonRpc;

namespace McpPlatform.Dispatcher.Grpc.Relay;

/// <summary>
/// The JSON-RPC errors the dispatcher answers a call with when its worker fails it: the shared codes
/// (<see cref="JsonRpcErrorCodes"/>) and <c>error.data.reason</c>, so a client tells a crashed server from a hung one
/// from a lost worker. Written with the caller's own id by <see cref="JsonRpcMessages"/>.
/// </summary>
internal static class RelayErrors
{
    /// <summary>A worker's <see cref="SlotFailure"/>: the same code and reason the worker's pool uses for it.</summary>
    public static (int Code, string Reason) Of(SlotFailure.Types.Reason reason) => reason switch
    {
        SlotFailure.Types.Reason.ProcessExited => (JsonRpcErrorCodes.ProcessExited, "process_exited"),
        SlotFailure.Types.Reason.Timeout => (JsonRpcErrorCodes.Timeout, "timeout"),
        SlotFailure.Types.Reason.ProtocolError => (JsonRpcErrorCodes.ProtocolViolation, "protocol_violation"),
        SlotFailure.Types.Reason.LeaseInvalid => (JsonRpcErrorCodes.Stopped, "lease_invalid"),
        SlotFailure.Types.Reason.UnsupportedServerRequest => (JsonRpcErrorCodes.MethodNotFound, "unsupported_server_request"),
        _ => (JsonRpcErrorCodes.InternalError, "internal"),
    };

    /// <summary>The worker could not be connected to: the call did not run.</summary>
    public static (int Code, string Reason) Unreachable => (JsonRpcErrorCodes.InternalError, "worker_unreachable");

    /// <summary>The worker's stream broke mid-call, or ended without a response: the call may or may not have run.</summary>
    public static (int Code, string Reason) Lost => (JsonRpcErrorCodes.InternalError, "worker_lost");
}
