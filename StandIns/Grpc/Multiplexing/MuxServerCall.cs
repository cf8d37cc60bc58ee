using Grpc.Core;

namespace McpPlatform.StandIns.Grpc.Multiplexing;

/// <summary>
/// One call on a multiplexed stream, as its handler sees it: the <see cref="ServerCallContext"/> a per-call RPC would
/// get (the stream's headers and peer, the call's own deadline and token) and the writer of its events, which
/// tags them with the call id and queues them on the stream's one writer. So a handler runs unchanged either way.
/// </summary>
internal sealed class MuxServerCall<TEventFrame, TEvent> : ServerCallContext, IServerStreamWriter<TEvent>, IDisposable
    where TEventFrame : class, IMuxEventFrame<TEventFrame, TEvent>
    where TEvent : class
{
    private readonly ServerCallContext _stream;
    private readonly MuxFrameWriter<TEventFrame> _writer;
    private readonly CancellationTokenSource _cts;
    private readonly DateTime _deadline;
    private readonly ITimer? _deadlineTimer;
    private Metadata? _trailers;
    private Status _status = Status.DefaultSuccess;
    private int _cancelReason;
    private WriteOptions? _writeOptions;

    public MuxServerCall(ulong id, ServerCallContext stream, MuxFrameWriter<TEventFrame> writer, TimeSpan? timeout, CancellationToken streamEnded)
    {
        Id = id;
        _stream = stream;
        _writer = writer;
        _cts = CancellationTokenSource.CreateLinkedTokenSource(streamEnded);
        _deadline = timeout is { } t ? DateTime.UtcNow.Add(t) : DateTime.MaxValue;
        if (timeout is { } remaining)
        {
            _deadlineTimer = TimeProvider.System.CreateTimer(static s => ((MuxServerCall<TEventFrame, TEvent>)s!).Cancel(Reason.Deadline), this, remaining, Timeout.InfiniteTimeSpan);
        }
    }

    private enum Reason
    {
        None,
        Deadline,
        Client,
    }

    public ulong Id { get; }

    /// <summary>The running handler (set once it starts), so a drain can wait for it.</summary>
    public Task? Completion { get; set; }

    /// <summary>True once the call's deadline passed (it ends with DEADLINE_EXCEEDED).</summary>
    public bool DeadlineExceeded => Volatile.Read(ref _cancelReason) == (int)Reason.Deadline;

    /// <summary>True once the client cancelled the call (it ends without an end frame: the client has forgotten it).</summary>
    public bool CancelledByClient => Volatile.Read(ref _cancelReason) == (int)Reason.Client;

    WriteOptions? IAsyncStreamWriter<TEvent>.WriteOptions
    {
        get => _writeOptions;
        set => _writeOptions = value;
    }

    protected override string MethodCore => _stream.Method;

    protected override string HostCore => _stream.Host;

    protected override string PeerCore => _stream.Peer;

    protected override DateTime DeadlineCore => _deadline;

    protected override Metadata RequestHeadersCore => _stream.RequestHeaders;

    protected override CancellationToken CancellationTokenCore => _cts.Token;

    protected override Metadata ResponseTrailersCore => _trailers ??= [];

    protected override Status StatusCore
    {
        get => _status;
        set => _status = value;
    }

    protected override WriteOptions? WriteOptionsCore
    {
        get => _writeOptions;
        set => _writeOptions = value;
    }

    /// <summary>The client's cancel frame.</summary>
    public void CancelByClient() => Cancel(Reason.Client);

    public Task WriteAsync(TEvent message) => WriteAsync(message, CancellationToken.None);

    public Task WriteAsync(TEvent message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        _cts.Token.ThrowIfCancellationRequested();
        var queued = _writer.WriteAsync(TEventFrame.ForEvent(Id, message), cancellationToken.CanBeCanceled ? cancellationToken : _cts.Token);
        return queued.IsCompletedSuccessfully ? Task.CompletedTask : queued.AsTask();
    }

    public void Dispose()
    {
        _deadlineTimer?.Dispose();
        _cts.Dispose();
    }

    // Response headers belong to the stream, which has sent its own: a call has none of its own.
    protected override Task WriteResponseHeadersAsyncCore(Metadata responseHeaders) => Task.CompletedTask;

    private void Cancel(Reason reason)
    {
        if (Interlocked.CompareExchange(ref _cancelReason, (int)reason, (int)Reason.None) == (int)Reason.None)
        {
            try
            {
                _cts.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // The call already ended.
            }
        }
    }
}
