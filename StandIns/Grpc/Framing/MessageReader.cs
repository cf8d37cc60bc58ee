using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using Grpc.Core;

namespace McpPlatform.StandIns.Grpc.Framing;

/// <summary>
/// Reads length-prefixed messages from a <see cref="PipeReader"/> (Kestrel's request body on the
/// server, the response stream on the client). Only one message's bytes are held at a time; the
/// HTTP/2 flow-control window does the rest of the backpressure.
/// </summary>
internal sealed class MessageReader
{
    private readonly PipeReader _reader;
    private readonly int? _maxMessageSize;
    private readonly SequenceDeserializationContext _context = new();

    public MessageReader(PipeReader reader, int? maxMessageSize)
    {
        _reader = reader;
        _maxMessageSize = maxMessageSize;
    }

    /// <summary>Reads the next message, or null at the end of the stream.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<T?> ReadAsync<T>(Func<DeserializationContext, T> deserializer, CancellationToken cancellationToken)
        where T : class
    {
        while (true)
        {
            var result = await _reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            bool found;
            ReadOnlySequence<byte> payload;
            try
            {
                found = MessageFraming.TryReadMessage(ref buffer, _maxMessageSize, out payload);
            }
            catch
            {
                _reader.AdvanceTo(buffer.Start);
                throw;
            }

            if (found)
            {
                try
                {
                    _context.Payload = payload;
                    return deserializer(_context);
                }
                finally
                {
                    _context.Payload = default;
                    _reader.AdvanceTo(buffer.Start);
                }
            }

            if (result.IsCompleted)
            {
                _reader.AdvanceTo(buffer.End);
                if (!buffer.IsEmpty)
                {
                    throw new RpcException(new Status(StatusCode.Internal, "Incomplete message: the stream ended inside a message."));
                }

                return null;
            }

            if (result.IsCanceled)
            {
                _reader.AdvanceTo(buffer.Start);
                throw new OperationCanceledException(cancellationToken);
            }

            _reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    /// <summary>Returns the pipe's buffers; only from the reading flow, once no read is pending.</summary>
    public void Complete() => _reader.Complete();

    private sealed class SequenceDeserializationContext : DeserializationContext
    {
        public ReadOnlySequence<byte> Payload { get; set; }

        public override int PayloadLength => (int)Payload.Length;

        public override byte[] PayloadAsNewBuffer() => Payload.ToArray();

        public override ReadOnlySequence<byte> PayloadAsReadOnlySequence() => Payload;
    }
}
