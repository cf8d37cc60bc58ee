using System.Diagnostics;
using Grpc.Core;

namespace McpPlatform.StandIns.Grpc.Multiplexing;

/// <summary>
/// One call on a multiplexed stream, as its caller reads it: the call's events in order, then its status (an end
/// frame from the server, or one the multiplexer gives it: cancelled, deadline exceeded, stream broken). Finishes
/// once; a local finish (cancel, deadline, dispose) sends a cancel frame so the server stops the call too.
/// </summary>
internal sealed class MuxClientCall<TEvent> : IAsyncStreamReader<TEvent>
    where TEvent : class
{
    private readonly CallEventQueue<TEvent> _events = new();
    private readonly IMuxCallOwner _owner;
    private Status _status;
    private int _finished;
    private bool _local;
    private CancellationTokenRegistration _registration;
    private ITimer? _deadline;
    private Activity? _activity;

    public MuxClientCall(IMuxCallOwner owner, ulong id)
    {
        _owner = owner;
        Id = id;
    }

    public ulong Id { get; }

    public TEvent Current { get; private set; } = null!;

    public bool IsFinished => Volatile.Read(ref _finished) == 1;

    public Status Status => IsFinished ? _status : throw new InvalidOperationException("Unable to get the status because the call is not complete.");

    /// <summary>Arms the caller's cancellation and deadline, and keeps the call's client span until it ends.</summary>
    public void Arm(CancellationToken cancellationToken, TimeSpan? timeout, Activity? activity)
    {
        _activity = activity;
        if (timeout is { } remaining)
        {
            _deadline = TimeProvider.System.CreateTimer(static s => ((MuxClientCall<TEvent>)s!).Abort(new Status(StatusCode.DeadlineExceeded, "Deadline Exceeded"), "deadline exceeded"), this, remaining, Timeout.InfiniteTimeSpan);
        }

        if (cancellationToken.CanBeCanceled)
        {
            _registration = cancellationToken.UnsafeRegister(static s => ((MuxClientCall<TEvent>)s!).Abort(new Status(StatusCode.Cancelled, "Call canceled by the client."), "cancelled by the caller"), this);
        }
    }

    public async Task<bool> MoveNext(CancellationToken cancellationToken)
    {
        using var registration = cancellationToken.CanBeCanceled
            ? cancellationToken.UnsafeRegister(static s => ((MuxClientCall<TEvent>)s!).Abort(new Status(StatusCode.Cancelled, "Call canceled by the client."), "cancelled by the caller"), this)
            : default;

        // A call ended here (cancel, deadline, broken stream) fails at once; a server's end comes after its events.
        if (!(IsFinished && _local) && (_events.TryRead(out var next) || (await _events.WaitToReadAsync().ConfigureAwait(false) && _events.TryRead(out next))))
        {
            if (!(IsFinished && _local))
            {
                Current = next;
                return true;
            }
        }

        return _status.StatusCode == StatusCode.OK ? false : throw new RpcException(_status);
    }

    /// <summary>An event frame from the server (the stream's single reader).</summary>
    public void Deliver(TEvent payload) => _events.TryWrite(payload);

    /// <summary>The server's end frame, or the stream's failure; false when the call had already finished.</summary>
    public bool Finish(Status status, bool local)
    {
        if (Interlocked.Exchange(ref _finished, 1) == 1)
        {
            return false;
        }

        _status = status;
        _local = local;
        _events.Complete();
        _deadline?.Dispose();
        _registration.Dispose();
        if (_activity is { } activity)
        {
            activity.SetTag("rpc.grpc.status_code", (int)status.StatusCode);
            if (status.StatusCode != StatusCode.OK)
            {
                activity.SetStatus(ActivityStatusCode.Error, status.Detail);
            }

            activity.Dispose();
        }

        _owner.Forget(Id);
        return true;
    }

    /// <summary>The caller is done: a call still running is cancelled on the server (as disposing a call resets its HTTP/2 stream).</summary>
    public void Dispose() => Abort(new Status(StatusCode.Cancelled, "Call disposed."), "disposed by the caller");

    private void Abort(Status status, string reason)
    {
        if (Finish(status, local: true))
        {
            _owner.SendCancel(Id, reason);
        }
    }
}
