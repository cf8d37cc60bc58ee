using System.Buffers;
using McpPlatform.Protocol.JsonRpc;

namespace McpPlatform.Worker.Host.Pool;

/// <summary>
/// The pool's side of the shared JSON-RPC codes (<see cref="JsonRpcErrorCodes"/>) and writer
/// (<see cref="JsonRpcMessages"/>): how an <see cref="RpcFailure"/> becomes a code and a <c>data.reason</c>,
/// and answers the pool writes into pooled <see cref="RpcMessage"/> buffers.
/// </summary>
/// <remarks>
/// Server-to-client requests (sampling, elicitation, roots) in shared and tenant isolation are answered
/// to the <em>server</em> with -32601 and the message in <see cref="ServerToClientUnavailable"/>: stdio
/// carries nothing that ties them to the call that caused them, so only session isolation relays them.
/// </remarks>
internal static class JsonRpcErrors
{
    public static int CodeOf(RpcFailure failure) => failure switch
    {
        RpcFailure.Timeout => JsonRpcErrorCodes.Timeout,
        RpcFailure.ProcessExited => JsonRpcErrorCodes.ProcessExited,
        RpcFailure.ProtocolViolation => JsonRpcErrorCodes.ProtocolViolation,
        RpcFailure.StartFailed => JsonRpcErrorCodes.StartFailed,
        RpcFailure.Stopped => JsonRpcErrorCodes.Stopped,
        RpcFailure.Cancelled => JsonRpcErrorCodes.RequestCancelled,
        _ => JsonRpcErrorCodes.InternalError,
    };

    public static string ReasonOf(RpcFailure failure) => failure switch
    {
        RpcFailure.Timeout => "timeout",
        RpcFailure.ProcessExited => "process_exited",
        RpcFailure.ProtocolViolation => "protocol_violation",
        RpcFailure.StartFailed => "start_failed",
        RpcFailure.Stopped => "stopped",
        RpcFailure.Cancelled => "cancelled",
        _ => "internal",
    };

    public static string ServerToClientUnavailable(string server, string isolation) =>
        $"Server-to-client requests are not available: server {server} runs in {isolation} isolation on McpPlatform, where a process is shared between sessions. Configure it with isolation Session to use sampling, elicitation or roots.";

    /// <summary>A failure answer for the client, with the client's own id.</summary>
    public static RpcMessage Failure(ReadOnlySpan<byte> rawId, RpcFailure failure, string message, string server) =>
        Error(rawId, CodeOf(failure), message, ReasonOf(failure), server, failure);

    /// <summary>Any JSON-RPC error object with <c>data.reason</c> and <c>data.server</c>.</summary>
    public static RpcMessage Error(ReadOnlySpan<byte> rawId, int code, string message, string reason, string server, RpcFailure failure = RpcFailure.None)
    {
        var output = new ArrayBufferWriter<byte>(256);
        JsonRpcMessages.WriteError(output, rawId, code, message, reason, server);
        return RpcMessage.Copy(output.WrittenSpan, failure, failure == RpcFailure.None ? null : message);
    }

    /// <summary><c>{"jsonrpc":"2.0","id":ID,"result":RESULT}</c> from raw parts, in a pooled buffer.</summary>
    public static RpcMessage Result(ReadOnlySpan<byte> rawId, ReadOnlySpan<byte> rawResult)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(JsonRpcMessages.ResultLength(rawId, rawResult));
        return new RpcMessage(buffer, JsonRpcMessages.WriteResult(buffer, rawId, rawResult));
    }
}
