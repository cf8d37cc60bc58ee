using System.Diagnostics;
using System.IO.Pipelines;
using Grpc.Core;
using Grpc.Net.Client;
using McpPlatform.StandIns.Grpc.Framing;
using McpPlatform.StandIns.Grpc.Telemetry;

namespace McpPlatform.StandIns.Grpc.Client;

/// <summary>
/// One client call over HTTP/2: sends the request (one message, or a stream fed by
/// <see cref="ClientStreamWriter{T}"/>), reads response messages, and settles the status exactly
/// once from the trailers, a trailers-only response, a transport error, the deadline or cancellation.
/// </summary>
internal sealed partial class GrpcCall<TRequest, TResponse> : IAsyncStreamReader<TResponse>, IClientCall
    where TRequest : class where TResponse : class
{
    private static readonly StreamPipeReaderOptions ReaderOptions = new(bufferSize: 16 * 1024, minimumReadSize: 4 * 1024);

    private readonly GrpcChannel _channel;
    private readonly Method<TRequest, TResponse> _method;
    private readonly CallOptions _options;
    private readonly CancellationTokenSource _cts = new();
    private readonly TaskCompletionSource<Metadata> _headers = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private CancellationTokenRegistration _userRegistration;
    private Task _sendTask = Task.CompletedTask;
    private HttpResponseMessage? _response;
    private MessageReader? _reader;
    private StreamingRequestContent? _streamingContent;
    private Status _status;
    private Metadata? _trailers;
    private int _finishing;
    private int _finished;
    private volatile bool _deadlineExceeded;
    private volatile bool _disposed;
    private Activity? _activity;
    private long _startTimestamp;
    private TResponse? _current;

    public GrpcCall(GrpcChannel channel, Method<TRequest, TResponse> method, CallOptions options)
    {
        _channel = channel;
        _method = method;
        _options = options;
    }

    public Task<Metadata> ResponseHeadersAsync => _headers.Task;

    public TResponse Current => _current ?? throw new InvalidOperationException("No current message: call MoveNext first.");

    public bool IsFinished => Volatile.Read(ref _finished) == 1;

    public CancellationToken CallToken => _cts.Token;

    public Status Status => _status;

    public void StartUnary(TRequest request)
    {
        byte[] frame;
        try
        {
            frame = UnaryRequestContent.Serialize(request, _method.RequestMarshaller.ContextualSerializer, _channel.Options.MaxSendMessageSize);
        }
        catch (Exception ex)
        {
            _startTimestamp = Stopwatch.GetTimestamp();
            Finish(ResolveException(ex), Metadata.Empty);
            return;
        }

        Start(new UnaryRequestContent(frame));
    }

    public ClientStreamWriter<TRequest> StartStreaming()
    {
        _streamingContent = new StreamingRequestContent();
        var writer = new ClientStreamWriter<TRequest>(this, _streamingContent, _method.RequestMarshaller.ContextualSerializer, _channel.Options.MaxSendMessageSize);
        Start(_streamingContent);
        return writer;
    }

    public async Task<TResponse> GetResponseAsync()
    {
        var message = await ReadMessageAsync().ConfigureAwait(false);
        if (message is null)
        {
            if (_status.StatusCode == StatusCode.OK)
            {
                Finish(new Status(StatusCode.Internal, "Failed to deserialize response message: the server sent no message."), _trailers ?? Metadata.Empty, force: true);
            }

            throw CreateException();
        }

        if (await ReadMessageAsync().ConfigureAwait(false) is not null)
        {
            Finish(new Status(StatusCode.Internal, "The server sent more than one message on a unary response."), Metadata.Empty, force: true);
            Cancel();
        }

        return _status.StatusCode == StatusCode.OK ? message : throw CreateException();
    }

    public async Task<bool> MoveNext(CancellationToken cancellationToken)
    {
        using var registration = cancellationToken.CanBeCanceled
            ? cancellationToken.UnsafeRegister(static s => ((GrpcCall<TRequest, TResponse>)s!).Cancel(), this)
            : default;
        var message = await ReadMessageAsync().ConfigureAwait(false);
        if (message is not null)
        {
            _current = message;
            return true;
        }

        return _status.StatusCode == StatusCode.OK ? false : throw CreateException();
    }

    public Status GetStatus() => IsFinished ? _status : throw new InvalidOperationException("Unable to get the status because the call is not complete.");

    public Metadata GetTrailers() => IsFinished ? _trailers ?? Metadata.Empty : throw new InvalidOperationException("Can't get the call trailers because the call has not completed successfully.");

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (!IsFinished)
        {
            Cancel();
            Finish(new Status(StatusCode.Cancelled, "gRPC call disposed."), Metadata.Empty);
        }
    }

    public void Fail(Exception exception)
    {
        Finish(ResolveException(exception), Metadata.Empty);
        Cancel();
    }

    public void Cancel()
    {
        try
        {
            _cts.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }

        // After the response headers the send token no longer reaches the HTTP/2 stream: disposing
        // the response is what resets it (RST_STREAM CANCEL) when it has not finished.
        _response?.Dispose();
    }

    public Exception CreateException()
    {
        if (_status.StatusCode == StatusCode.Cancelled && _channel.Options.ThrowOperationCanceledOnCancellation)
        {
            return new OperationCanceledException(_options.CancellationToken);
        }

        return new RpcException(_status, _trailers ?? Metadata.Empty);
    }

    /// <summary>Settles the call: the first outcome wins (unless forced by a protocol violation found afterwards).</summary>
    internal void Finish(Status status, Metadata trailers, bool force = false)
    {
        if (Interlocked.Exchange(ref _finishing, 1) == 1)
        {
            if (force)
            {
                _status = status;
            }

            return;
        }

        // A reset that races our own deadline timer (the server gave up at the same deadline) is
        // still a deadline, as the caller asked for one and it passed.
        if (status.StatusCode == StatusCode.Cancelled && !_disposed && !_options.CancellationToken.IsCancellationRequested
            && _options.Deadline is { } deadline && deadline != DateTime.MaxValue && deadline.ToUniversalTime() <= DateTime.UtcNow)
        {
            status = new Status(StatusCode.DeadlineExceeded, "Deadline Exceeded", status.DebugException);
        }

        // The status is written before the call reads as finished, so GetStatus never sees a default.
        _status = status;
        _trailers = trailers;
        Volatile.Write(ref _finished, 1);
        _userRegistration.Dispose();
        _cts.CancelAfter(Timeout.Infinite);
        _streamingContent?.CompleteRequest();
        if (status.StatusCode != StatusCode.OK)
        {
            _headers.TrySetException(CreateException());
            _ = _headers.Task.Exception;
        }

        _response?.Dispose();
        GrpcTelemetry.Stop(_activity, GrpcTelemetry.ClientDuration, _method, _startTimestamp, status);
    }
}
