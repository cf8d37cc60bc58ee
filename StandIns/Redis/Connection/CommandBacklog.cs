using System.Collections.Concurrent;
using System.Threading.Channels;

namespace McpPlatform.Redis.Connection;

/// <summary>
/// The queue every caller's commands go into, drained by the connection's <see cref="ConnectionWriter"/>. Waking
/// the writer loop costs a thread-pool hop, so it is woken once per idle period, not once per command; and while a
/// reply batch runs its callers' continuations, the commands they send are held back until the batch ends, when the
/// batch's own thread writes them all in one socket write (what <c>redis-benchmark -P</c> does by construction),
/// or wakes the loop once if another write is in progress.
/// </summary>
internal sealed class CommandBacklog
{
    // Set on a thread while it runs a reply batch; the backlog that owes a wake-up is remembered until the batch ends.
    [ThreadStatic]
    private static bool t_inBatch;

    [ThreadStatic]
    private static CommandBacklog? t_wakeWhenBatchEnds;

    private readonly ConcurrentQueue<PendingCommand> _queue = new();
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true, AllowSynchronousContinuations = false });
    private ConnectionWriter? _writer;
    private int _wakeRequested;
    private Exception? _closed;

    public bool IsEmpty => _queue.IsEmpty;

    /// <summary>Marks the current thread as running a reply batch (see the class remarks); returns false if it already was.</summary>
    public static bool EnterBatch()
    {
        if (t_inBatch)
        {
            return false;
        }

        t_inBatch = true;
        return true;
    }

    /// <summary>
    /// Ends the batch begun by <see cref="EnterBatch"/> and writes what it held back, on this thread when no one else
    /// is writing (saves the writer loop's wake-up, a thread-pool hop), else by waking the writer loop.
    /// </summary>
    public static void ExitBatch()
    {
        t_inBatch = false;
        var backlog = t_wakeWhenBatchEnds;
        if (backlog is not null)
        {
            t_wakeWhenBatchEnds = null;
            if (Volatile.Read(ref backlog._writer) is not { } writer || !writer.TryWriteInline(backlog))
            {
                backlog.Wake();
            }
        }
    }

    /// <summary>Lets batches that end write through <paramref name="writer"/> (the current connection's).</summary>
    public void AttachWriter(ConnectionWriter writer) => Volatile.Write(ref _writer, writer);

    public void Enqueue(PendingCommand command)
    {
        _queue.Enqueue(command);
        if (Volatile.Read(ref _closed) is { } closed)
        {
            FailAll(closed);
            return;
        }

        if (t_inBatch && (t_wakeWhenBatchEnds is null || t_wakeWhenBatchEnds == this))
        {
            t_wakeWhenBatchEnds = this;
            return;
        }

        Wake();
    }

    public bool TryDequeue(out PendingCommand command) => _queue.TryDequeue(out command!);

    /// <summary>Wakes the writer loop unless a wake-up is already pending (no wake-up is ever lost: see <see cref="BeginDrain"/>).</summary>
    public void Wake()
    {
        if (Volatile.Read(ref _wakeRequested) == 0 && Interlocked.Exchange(ref _wakeRequested, 1) == 0)
        {
            _wake.Writer.TryWrite(true);
        }
    }

    /// <summary>
    /// Called by the writer before it drains: a command queued after this call either is seen by the drain or
    /// finds the flag cleared and wakes the writer again.
    /// </summary>
    public void BeginDrain() => Interlocked.Exchange(ref _wakeRequested, 0);

    /// <summary>Waits until something was queued; false once the backlog is closed.</summary>
    public async ValueTask<bool> WaitAsync(CancellationToken cancellationToken)
    {
        if (!await _wake.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        _wake.Reader.TryRead(out _);
        return true;
    }

    /// <summary>Closes the backlog: every queued command, and any queued later, fails with <paramref name="reason"/>.</summary>
    public void Close(Exception reason)
    {
        Volatile.Write(ref _closed, reason);
        _wake.Writer.TryComplete();
        FailAll(reason);
    }

    private void FailAll(Exception reason)
    {
        while (_queue.TryDequeue(out var command))
        {
            command.TrySetException(reason);
            command.ReleaseFromPipeline();
        }
    }
}
