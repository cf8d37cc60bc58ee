using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using Grpc.Core;

namespace McpPlatform.StandIns.Grpc.Multiplexing;

/// <summary>
/// One live multiplexed stream on the client: assigns call ids, routes the server's frames to pending calls, and
/// when the stream ends or breaks fails every call still pending on it (<see cref="MuxStatus"/>), once. A new stream
/// replaces it on the next call; nothing here retries.
/// </summary>
internal sealed class MuxConnection<TRequestFrame, TEventFrame, TRequest, TEvent> : IMuxCallOwner
    where TRequestFrame : class, IMuxRequestFrame<TRequestFrame, TRequest>
    where TEventFrame : class, IMuxEventFrame<TEventFrame, TEvent>
    where TRequest : class
    where TEvent : class
{
    private readonly ConcurrentDictionary<ulong, MuxClientCall<TEvent>> _pending = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly AsyncDuplexStreamingCall<TRequestFrame, TEventFrame> _stream;
    private readonly MuxFrameWriter<TRequestFrame> _writer;
    private readonly Action<MuxConnection<TRequestFrame, TEventFrame, TRequest, TEvent>> _closed;
    private long _nextId;
    private StrongBox<Status>? _closeStatus;

    public MuxConnection(Func<CallOptions, AsyncDuplexStreamingCall<TRequestFrame, TEventFrame>> open, Action<MuxConnection<TRequestFrame, TEventFrame, TRequest, TEvent>> closed)
    {
        _closed = closed;
        // The stream is not the span of any one call: keep it out of the caller's trace.
        var current = Activity.Current;
        Activity.Current = null;
        try
        {
            _stream = open(new CallOptions(cancellationToken: _stop.Token));
        }
        finally
        {
            Activity.Current = current;
        }

        _writer = new MuxFrameWriter<TRequestFrame>(_stream.RequestStream, capacity: null, _stop.Token);
        _writer.Completion.ContinueWith(static (t, s) => ((MuxConnection<TRequestFrame, TEventFrame, TRequest, TEvent>)s!).WriterEnded(t), this, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        _ = ReadAsync();
    }

    /// <summary>True once the stream ended or broke; the owner then opens a new one.</summary>
    public bool IsClosed => Volatile.Read(ref _closeStatus) is not null;

    /// <summary>Calls waiting for their end.</summary>
    public int Pending => _pending.Count;

    public MuxClientCall<TEvent> Start(TRequest request, TimeSpan? timeout, CancellationToken cancellationToken, Activity? activity)
    {
        var call = new MuxClientCall<TEvent>(this, (ulong)Interlocked.Increment(ref _nextId));
        _pending[call.Id] = call;
        call.Arm(cancellationToken, timeout, activity);
        if (Volatile.Read(ref _closeStatus) is { } closed)
        {
            // Closed while registering: the close may have missed this call, so end it here.
            call.Finish(closed.Value, local: true);
            return call;
        }

        var context = activity ?? Activity.Current;
        _writer.Post(TRequestFrame.Start(call.Id, request, new MuxCallInfo(timeout, context?.Id, context?.TraceStateString)));
        return call;
    }

    public void Forget(ulong callId) => _pending.TryRemove(callId, out _);

    public void SendCancel(ulong callId, string reason)
    {
        if (!IsClosed)
        {
            _writer.Post(TRequestFrame.Cancel(callId, reason));
        }
    }

    /// <summary>Ends the stream and every call on it (the client is disposed).</summary>
    public void Close() => Fail(MuxStatus.NotStarted("the client was disposed."));

    private async Task ReadAsync()
    {
        await Task.Yield();
        Status end;
        try
        {
            var frames = _stream.ResponseStream;
            while (await frames.MoveNext(CancellationToken.None).ConfigureAwait(false))
            {
                var frame = frames.Current;
                // A call ended here (cancelled, past its deadline, disposed) may still get frames: they are dropped.
                if (!_pending.TryGetValue(frame.CallId, out var call))
                {
                    continue;
                }

                if (frame.EndStatus is { } status)
                {
                    call.Finish(status, local: false);
                }
                else if (frame.Payload is { } payload)
                {
                    call.Deliver(payload);
                }
            }

            // The server answered every start it read before ending the stream (it drains): the rest never ran.
            end = MuxStatus.NotStarted("the server ended the multiplexed stream (shutting down); retry.");
        }
        catch (RpcException ex)
        {
            end = MuxStatus.Broken(ex.Status);
        }

        Fail(end);
    }

    private void WriterEnded(Task writer)
    {
        if (writer.IsFaulted)
        {
            Fail(MuxStatus.Broken(writer.Exception.InnerException is RpcException rpc ? rpc.Status : new Status(StatusCode.Unavailable, "Writing to the multiplexed stream failed.")));
        }
    }

    private void Fail(Status status)
    {
        if (Interlocked.CompareExchange(ref _closeStatus, new StrongBox<Status>(status), null) is not null)
        {
            return;
        }

        _closed(this);
        foreach (var call in _pending.Values)
        {
            call.Finish(status, local: true);
        }

        _writer.Complete();
        _stop.Cancel();
        _stream.Dispose();
    }
}
