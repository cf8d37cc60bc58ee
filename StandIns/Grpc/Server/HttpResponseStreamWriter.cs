using Grpc.Core;
using McpPlatform.StandIns.Grpc.Framing;

namespace McpPlatform.StandIns.Grpc.Server;

/// <summary>
/// The response stream of a server-streaming or bidirectional call. Each write is serialized
/// straight into Kestrel's response pipe and flushed; the flush waits while the client's HTTP/2
/// window is closed, so a slow reader slows the handler down.
/// </summary>
internal sealed class HttpResponseStreamWriter<T> : IServerStreamWriter<T>
{
    private readonly HttpContextServerCallContext _call;
    private readonly Action<T, SerializationContext> _serializer;
    private readonly MessageSerializationContext _context;
    private int _writing;

    public HttpResponseStreamWriter(HttpContextServerCallContext call, Action<T, SerializationContext> serializer)
    {
        _call = call;
        _serializer = serializer;
        _context = new MessageSerializationContext(call.Options.MaxSendMessageSize);
    }

    public WriteOptions? WriteOptions
    {
        get => _call.WriteOptions;
        set => _call.WriteOptions = value;
    }

    public Task WriteAsync(T message) => WriteAsync(message, CancellationToken.None);

    public async Task WriteAsync(T message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (Interlocked.Exchange(ref _writing, 1) == 1)
        {
            throw new InvalidOperationException("Can't write the message because the previous write is in progress.");
        }

        try
        {
            var token = _call.CancellationToken;
            token.ThrowIfCancellationRequested();
            var writer = _call.HttpContext.Response.BodyWriter;
            _call.MessageWritten = true;
            _context.WriteMessage(writer, message, _serializer);
            if (_call.WriteOptions is { } options && (options.Flags & WriteFlags.BufferHint) != 0)
            {
                // grpc-dotnet's meaning: buffer, the next write without the hint flushes both.
                return;
            }

            var result = await writer.FlushAsync(cancellationToken.CanBeCanceled ? cancellationToken : token).ConfigureAwait(false);
            if (result.IsCanceled)
            {
                throw new OperationCanceledException(token);
            }
        }
        finally
        {
            Volatile.Write(ref _writing, 0);
        }
    }
}
