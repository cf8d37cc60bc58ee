using System.Buffers;
using System.Text.Json;

namespace McpPlatform.Worker.Host.Pool;

/// <summary>
/// The JSON-RPC errors the pool itself produces. Codes are in the implementation-defined server range;
/// <c>data.reason</c> names the failure and <c>data.server</c> the catalog entry.
/// </summary>
/// <remarks>
/// Server-to-client requests (sampling, elicitation, roots) in shared and tenant isolation are answered
/// to the <em>server</em> with -32601 and the message in <see cref="ServerToClientUnavailable"/>: stdio
/// carries nothing that ties them to the call that caused them, so only session isolation relays them.
/// </remarks>
internal static class JsonRpcErrors
{
    public const int MethodNotFound = -32601;

    public static int CodeOf(RpcFailure failure) => failure switch
    {
        RpcFailure.Timeout => -32001,
        RpcFailure.ProcessExited => -32002,
        RpcFailure.ProtocolViolation => -32003,
        RpcFailure.StartFailed => -32004,
        RpcFailure.Stopped => -32005,
        RpcFailure.Cancelled => -32800,
        _ => -32603,
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
        using (var writer = new Utf8JsonWriter(output))
        {
            writer.WriteStartObject();
            writer.WriteString("jsonrpc"u8, "2.0"u8);
            writer.WritePropertyName("id"u8);
            if (rawId.IsEmpty)
            {
                writer.WriteNullValue();
            }
            else
            {
                writer.WriteRawValue(rawId, skipInputValidation: true);
            }

            writer.WriteStartObject("error"u8);
            writer.WriteNumber("code"u8, code);
            writer.WriteString("message"u8, message);
            writer.WriteStartObject("data"u8);
            writer.WriteString("reason"u8, reason);
            writer.WriteString("server"u8, server);
            writer.WriteEndObject();
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return RpcMessage.Copy(output.WrittenSpan, failure, failure == RpcFailure.None ? null : message);
    }

    /// <summary><c>{"jsonrpc":"2.0","id":ID,"result":RESULT}</c> from raw parts.</summary>
    public static RpcMessage Result(ReadOnlySpan<byte> rawId, ReadOnlySpan<byte> rawResult)
    {
        ReadOnlySpan<byte> head = "{\"jsonrpc\":\"2.0\",\"id\":"u8;
        ReadOnlySpan<byte> middle = ",\"result\":"u8;
        var length = head.Length + rawId.Length + middle.Length + rawResult.Length + 1;
        var buffer = ArrayPool<byte>.Shared.Rent(length);
        var span = buffer.AsSpan();
        head.CopyTo(span);
        rawId.CopyTo(span[head.Length..]);
        middle.CopyTo(span[(head.Length + rawId.Length)..]);
        rawResult.CopyTo(span[(head.Length + rawId.Length + middle.Length)..]);
        span[length - 1] = (byte)'}';
        return new RpcMessage(buffer, length);
    }
}
