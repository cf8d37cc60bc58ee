using Grpc.Core;
using McpPlatform.StandIns.Grpc.Framing;

namespace McpPlatform.StandIns.Grpc.Client;

/// <summary>
/// The request stream of a client-streaming or bidirectional call. A write completes when the
/// HTTP/2 stream accepted the bytes, which waits while the server's flow-control window is closed.
/// </summary>
internal sealed class ClientStreamWriter<T> : IClientStreamWriter<T>
    where T : class
{
    private readonly IClientCall _call;
    private readonly StreamingRequestContent _content;
    private readonly Action<T, SerializationContext> _serializer;
    private readonly MessageSerializationContext _context;
    private readonly PooledBufferWriter _buffer = new();
    private int _writing;
    private bool _completed;

    public ClientStreamWriter(IClientCall call, StreamingRequestContent content, Action<T, SerializationContext> serializer, int? maxSendMessageSize)
    {
        _call = call;
        _content = content;
        _serializer = serializer;
        _context = new MessageSerializationContext(maxSendMessageSize);
    }

    public WriteOptions? WriteOptions { get; set; }

    public Task WriteAsync(T message) => WriteAsync(message, CancellationToken.None);

    public async Task WriteAsync(T message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (_completed)
        {
            throw new InvalidOperationException("Request stream has already been completed.");
        }

        if (Interlocked.Exchange(ref _writing, 1) == 1)
        {
            throw new InvalidOperationException("Can't write the message because the previous write is in progress.");
        }

        try
        {
            ThrowIfFinished();
            using var registration = cancellationToken.CanBeCanceled
                ? cancellationToken.UnsafeRegister(static s => ((IClientCall)s!).Cancel(), _call)
                : default;
            var token = _call.CallToken;
            var streamTask = _content.StreamTask;
            var stream = streamTask.IsCompletedSuccessfully ? streamTask.Result : await streamTask.WaitAsync(token).ConfigureAwait(false);
            _context.WriteMessage(_buffer, message, _serializer);
            await stream.WriteAsync(_buffer.WrittenMemory, token).ConfigureAwait(false);
            if (WriteOptions is not { } options || (options.Flags & WriteFlags.BufferHint) == 0)
            {
                // With BufferHint (grpc-dotnet's meaning) the next write without it flushes both.
                await stream.FlushAsync(token).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is not InvalidOperationException)
        {
            if (!_call.IsFinished)
            {
                _call.Fail(ex);
            }

            throw _call.CreateException();
        }
        finally
        {
            _buffer.Reset();
            Volatile.Write(ref _writing, 0);
        }
    }

    public Task CompleteAsync()
    {
        if (Volatile.Read(ref _writing) == 1)
        {
            throw new InvalidOperationException("Can't complete the request stream because a write is in progress.");
        }

        _completed = true;
        _content.CompleteRequest();
        return Task.CompletedTask;
    }

    private void ThrowIfFinished()
    {
        if (_call.IsFinished)
        {
            throw _call.Status.StatusCode == StatusCode.OK
                ? new InvalidOperationException("Can't write the message because the call is complete.")
                : _call.CreateException();
        }
    }
}
