using System.Diagnostics;
using Grpc.Core;
using McpPlatform.StandIns.Grpc.Telemetry;

namespace McpPlatform.StandIns.Grpc.Multiplexing;

/// <summary>
/// Many server-streaming calls to one target over a few long-lived bidirectional streams (e.g. Dispatch.RelayMux):
/// each <see cref="Call"/> returns what a per-call RPC returns (its events, then OK or an <see cref="RpcException"/>),
/// at the cost of two or three frames instead of an HTTP/2 stream. Streams open on first use and again after one
/// breaks (its pending calls fail with UNAVAILABLE, see <see cref="MuxStatus"/>); calls go round robin over them.
/// </summary>
/// <typeparam name="TRequestFrame">The stream's request frame (e.g. <c>RelayMuxRequest</c>).</typeparam>
/// <typeparam name="TEventFrame">The stream's event frame (e.g. <c>RelayMuxEvent</c>).</typeparam>
/// <typeparam name="TRequest">One call's request (e.g. <c>RelayRequest</c>).</typeparam>
/// <typeparam name="TEvent">One call's event (e.g. <c>RelayEvent</c>).</typeparam>
public sealed class MultiplexedClient<TRequestFrame, TEventFrame, TRequest, TEvent> : IDisposable
    where TRequestFrame : class, IMuxRequestFrame<TRequestFrame, TRequest>
    where TEventFrame : class, IMuxEventFrame<TEventFrame, TEvent>
    where TRequest : class
    where TEvent : class
{
    private readonly Func<CallOptions, AsyncDuplexStreamingCall<TRequestFrame, TEventFrame>> _open;
    private readonly MuxConnection<TRequestFrame, TEventFrame, TRequest, TEvent>?[] _streams;
    private readonly Action<MuxConnection<TRequestFrame, TEventFrame, TRequest, TEvent>> _closed;
    private readonly string _callName;
    private readonly Lock _connecting = new();
    private uint _next;
    private bool _disposed;

    /// <param name="open">Opens one stream, e.g. <c>o => client.RelayMux(o)</c>.</param>
    /// <param name="options">Streams per target and the calls' span name.</param>
    public MultiplexedClient(Func<CallOptions, AsyncDuplexStreamingCall<TRequestFrame, TEventFrame>> open, MultiplexedClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(open);
        options ??= new MultiplexedClientOptions();
        options.Validate();
        _open = open;
        _streams = new MuxConnection<TRequestFrame, TEventFrame, TRequest, TEvent>?[options.StreamsPerTarget];
        _callName = options.CallName;
        _closed = Closed;
    }

    /// <summary>Calls waiting for their end, over every stream (diagnostics, tests).</summary>
    public int Pending => _streams.Sum(s => s?.Pending ?? 0);

    /// <summary>
    /// Starts one call. <paramref name="deadline"/> travels to the server as the call's timeout and is enforced here
    /// too; cancelling <paramref name="cancellationToken"/> or disposing the call before its end cancels it on the server.
    /// </summary>
    public AsyncServerStreamingCall<TEvent> Call(TRequest request, DateTime? deadline = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ObjectDisposedException.ThrowIf(_disposed, this);
        TimeSpan? timeout = deadline is { } at && at != DateTime.MaxValue ? at.ToUniversalTime() - DateTime.UtcNow : null;
        var activity = StartActivity();
        MuxClientCall<TEvent> call;
        if (timeout <= TimeSpan.Zero || cancellationToken.IsCancellationRequested)
        {
            // Already over: do not bother the server.
            call = new MuxClientCall<TEvent>(NoOwner.Instance, 0);
            call.Finish(cancellationToken.IsCancellationRequested ? new Status(StatusCode.Cancelled, "Call canceled by the client.") : new Status(StatusCode.DeadlineExceeded, "Deadline Exceeded"), local: true);
            activity?.Dispose();
        }
        else
        {
            call = Stream().Start(request, timeout, cancellationToken, activity);
        }

        return new AsyncServerStreamingCall<TEvent>(call, Task.FromResult(Metadata.Empty), () => call.Status, static () => Metadata.Empty, call.Dispose);
    }

    /// <summary>Ends every stream; calls still pending fail with UNAVAILABLE.</summary>
    public void Dispose()
    {
        _disposed = true;
        foreach (var stream in _streams)
        {
            stream?.Close();
        }
    }

    // The call's client span, as a per-call RPC has; not made current (Call returns before the call ends).
    private Activity? StartActivity()
    {
        if (!GrpcTelemetry.Source.HasListeners())
        {
            return null;
        }

        var caller = Activity.Current;
        var activity = GrpcTelemetry.Source.StartActivity(_callName, ActivityKind.Client);
        Activity.Current = caller;
        return activity;
    }

    private MuxConnection<TRequestFrame, TEventFrame, TRequest, TEvent> Stream()
    {
        var index = (int)(Interlocked.Increment(ref _next) % (uint)_streams.Length);
        var stream = Volatile.Read(ref _streams[index]);
        if (stream is { IsClosed: false })
        {
            return stream;
        }

        lock (_connecting)
        {
            stream = _streams[index];
            if (stream is null || stream.IsClosed)
            {
                stream = new MuxConnection<TRequestFrame, TEventFrame, TRequest, TEvent>(_open, _closed);
                Volatile.Write(ref _streams[index], stream);
            }

            return stream;
        }
    }

    private void Closed(MuxConnection<TRequestFrame, TEventFrame, TRequest, TEvent> stream)
    {
        for (var i = 0; i < _streams.Length; i++)
        {
            Interlocked.CompareExchange(ref _streams[i], null, stream);
        }
    }

    private sealed class NoOwner : IMuxCallOwner
    {
        public static readonly NoOwner Instance = new();

        public void Forget(ulong callId)
        {
        }

        public void SendCancel(ulong callId, string reason)
        {
        }
    }
}
