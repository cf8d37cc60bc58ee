using System.Net;
using Grpc.Core;
using McpPlatform.StandIns.Grpc.Framing;

namespace McpPlatform.StandIns.Grpc.Client;

/// <summary>
/// The body of a unary or server-streaming request: one frame, serialized before the call starts
/// (so size errors surface at once) into an exact-size array that HttpClient may send at any time.
/// </summary>
internal sealed class UnaryRequestContent : HttpContent
{
    [ThreadStatic]
    private static PooledBufferWriter? t_scratch;

    private readonly byte[] _frame;

    public UnaryRequestContent(byte[] frame)
    {
        _frame = frame;
        Headers.TryAddWithoutValidation("Content-Type", GrpcProtocol.ContentType);
    }

    public static byte[] Serialize<T>(T message, Action<T, SerializationContext> serializer, int? maxSendMessageSize)
    {
        var scratch = t_scratch ??= new PooledBufferWriter();
        try
        {
            new MessageSerializationContext(maxSendMessageSize).WriteMessage(scratch, message, serializer);
            return scratch.WrittenMemory.ToArray();
        }
        finally
        {
            scratch.Reset();
        }
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        stream.WriteAsync(_frame).AsTask();

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken) =>
        stream.WriteAsync(_frame, cancellationToken).AsTask();

    protected override bool TryComputeLength(out long length)
    {
        length = _frame.Length;
        return true;
    }
}
