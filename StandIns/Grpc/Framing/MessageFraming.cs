using System.Buffers;
using System.Buffers.Binary;
using Grpc.Core;

namespace McpPlatform.StandIns.Grpc.Framing;

/// <summary>
/// The length-prefixed message: 1 byte compressed flag, 4 bytes big-endian length, then the payload.
/// Parsing works on a <see cref="ReadOnlySequence{T}"/> so a message split across reads needs no copy.
/// </summary>
internal static class MessageFraming
{
    /// <summary>
    /// Takes one whole message off the front of <paramref name="buffer"/>. Returns false (and leaves
    /// the buffer alone) when more bytes are needed. Throws <see cref="RpcException"/> as soon as the
    /// header shows a message that is too large or compressed, before its payload is buffered.
    /// </summary>
    public static bool TryReadMessage(ref ReadOnlySequence<byte> buffer, int? maxMessageSize, out ReadOnlySequence<byte> payload)
    {
        payload = default;
        if (buffer.Length < GrpcProtocol.HeaderSize)
        {
            return false;
        }

        Span<byte> header = stackalloc byte[GrpcProtocol.HeaderSize];
        buffer.Slice(0, GrpcProtocol.HeaderSize).CopyTo(header);
        var flag = header[0];
        var length = BinaryPrimitives.ReadUInt32BigEndian(header[1..]);
        if (flag == 1)
        {
            throw new RpcException(new Status(StatusCode.Internal, "Request sent a compressed message but no grpc-encoding was negotiated (this implementation supports identity only)."));
        }

        if (flag != 0)
        {
            throw new RpcException(new Status(StatusCode.Internal, $"Unexpected compressed flag value {flag} in a message header."));
        }

        if (length > int.MaxValue || (maxMessageSize is { } max && length > (uint)max))
        {
            throw new RpcException(new Status(StatusCode.ResourceExhausted, $"Received message exceeds the maximum configured message size ({length} > {maxMessageSize})."));
        }

        if (buffer.Length - GrpcProtocol.HeaderSize < length)
        {
            return false;
        }

        payload = buffer.Slice(GrpcProtocol.HeaderSize, length);
        buffer = buffer.Slice(payload.End);
        return true;
    }

    /// <summary>Writes a message header.</summary>
    public static void WriteHeader(Span<byte> destination, int length)
    {
        destination[0] = 0;
        BinaryPrimitives.WriteUInt32BigEndian(destination[1..], (uint)length);
    }
}
