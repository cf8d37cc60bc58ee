using System.Threading.Tasks.Sources;

namespace McpPlatform.StandIns.Grpc.Multiplexing;

/// <summary>
/// A multiplexed call's events on their way to its one reader: written by the stream's reader loop, completed once,
/// read in order, and what was written before the completion is still read. A call gets one event or a few, so this is
/// a lock, a small queue made on the first event and a reusable awaitable, where an unbounded channel would allocate
/// a ~1 KiB segment per call.
/// </summary>
/// <typeparam name="T">The event message.</typeparam>
internal sealed class CallEventQueue<T> : IValueTaskSource<bool>
    where T : class
{
    private readonly Lock _lock = new();
    private Queue<T>? _items;
    private ManualResetValueTaskSourceCore<bool> _waiter = new() { RunContinuationsAsynchronously = true };
    private bool _waiting;
    private bool _completed;

    /// <summary>Queues an event and wakes the reader; false once the queue was completed (the event is dropped).</summary>
    public bool TryWrite(T item)
    {
        lock (_lock)
        {
            if (_completed)
            {
                return false;
            }

            (_items ??= new Queue<T>(2)).Enqueue(item);
            if (!_waiting)
            {
                return true;
            }

            _waiting = false;
        }

        _waiter.SetResult(true);
        return true;
    }

    /// <summary>No more events; the reader still reads those already queued. False when it was completed already.</summary>
    public bool Complete()
    {
        lock (_lock)
        {
            if (_completed)
            {
                return false;
            }

            _completed = true;
            if (!_waiting)
            {
                return true;
            }

            _waiting = false;
        }

        _waiter.SetResult(false);
        return true;
    }

    /// <summary>Takes the next event, if one is queued.</summary>
    public bool TryRead(out T item)
    {
        lock (_lock)
        {
            if (_items is { Count: > 0 } items)
            {
                item = items.Dequeue();
                return true;
            }
        }

        item = null!;
        return false;
    }

    /// <summary>
    /// True once an event can be read, false once the queue is completed and empty. One reader, one wait at a time.
    /// </summary>
    public ValueTask<bool> WaitToReadAsync()
    {
        lock (_lock)
        {
            if (_items is { Count: > 0 })
            {
                return new ValueTask<bool>(true);
            }

            if (_completed)
            {
                return new ValueTask<bool>(false);
            }

            if (_waiting)
            {
                throw new InvalidOperationException("Only one reader may wait for a call's events at a time.");
            }

            _waiter.Reset();
            _waiting = true;
            return new ValueTask<bool>(this, _waiter.Version);
        }
    }

    bool IValueTaskSource<bool>.GetResult(short token) => _waiter.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource<bool>.GetStatus(short token) => _waiter.GetStatus(token);

    void IValueTaskSource<bool>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _waiter.OnCompleted(continuation, state, token, flags);
}
