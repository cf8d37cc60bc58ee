using System.Buffers;
using Grpc.Core;

namespace McpPlatform.StandIns.Grpc.Framing;

/// <summary>
/// Serializes one message, header included, into an <see cref="IBufferWriter{T}"/>. When the
/// marshaller announces the length first (generated protobuf code does), the payload is written in
/// place; otherwise it goes through a pooled scratch buffer and is copied once.
/// </summary>
internal sealed class MessageSerializationContext : SerializationContext
{
    private readonly int? _maxMessageSize;
    private IBufferWriter<byte>? _target;
    private PooledBufferWriter? _scratch;
    private int _announcedLength = -1;
    private bool _completed;

    public MessageSerializationContext(int? maxMessageSize) => _maxMessageSize = maxMessageSize;

    /// <summary>Writes <paramref name="message"/> as one frame into <paramref name="target"/>.</summary>
    public void WriteMessage<T>(IBufferWriter<byte> target, T message, Action<T, SerializationContext> serializer)
    {
        _target = target;
        _announcedLength = -1;
        _completed = false;
        try
        {
            serializer(message, this);
            if (!_completed)
            {
                throw new InvalidOperationException("The marshaller did not complete the serialization context.");
            }
        }
        finally
        {
            _target = null;
            _scratch?.Reset();
        }
    }

    public override void SetPayloadLength(int payloadLength)
    {
        CheckSize(payloadLength);
        _announcedLength = payloadLength;
    }

    public override IBufferWriter<byte> GetBufferWriter()
    {
        if (_announcedLength >= 0)
        {
            MessageFraming.WriteHeader(_target!.GetSpan(GrpcProtocol.HeaderSize), _announcedLength);
            _target.Advance(GrpcProtocol.HeaderSize);
            return _target;
        }

        return _scratch ??= new PooledBufferWriter();
    }

    public override void Complete()
    {
        if (_announcedLength < 0)
        {
            var written = _scratch?.WrittenMemory ?? ReadOnlyMemory<byte>.Empty;
            WriteFrame(written.Span);
        }

        _completed = true;
    }

    public override void Complete(byte[] payload)
    {
        WriteFrame(payload);
        _completed = true;
    }

    private void WriteFrame(ReadOnlySpan<byte> payload)
    {
        CheckSize(payload.Length);
        var target = _target!;
        MessageFraming.WriteHeader(target.GetSpan(GrpcProtocol.HeaderSize), payload.Length);
        target.Advance(GrpcProtocol.HeaderSize);
        target.Write(payload);
    }

    private void CheckSize(int length)
    {
        if (_maxMessageSize is { } max && length > max)
        {
            throw new RpcException(new Status(StatusCode.ResourceExhausted, $"Sending message exceeds the maximum configured message size ({length} > {max})."));
        }
    }
}
