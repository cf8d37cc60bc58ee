using System.Diagnostics;

namespace McpPlatform.Redis.Connection;

/// <summary>
/// The replies one socket read produced, paired with their commands, completed by one thread that runs the callers'
/// continuations inline, one after another: the reading thread once it has handed reading to the next pending read,
/// or a thread-pool work item (never one hop per command).
/// </summary>
/// <remarks>
/// Reading never waits for caller code: a batch runs on the reading thread only after the next read was issued and
/// its continuation owns the reading, so a caller that blocks cannot stall the connection. A batch runs inline for at most <see cref="InlineBudget"/> (plus the continuation running when the
/// budget ran out), then hands the rest to the thread pool, so callers that do long work after their await do not
/// serialise their batch-mates behind them. A caller that blocks inside its continuation can only hold up the rest of its own batch, and not
/// for long: the connection's heartbeat sees a batch that made no progress between two ticks and hands its remaining
/// items to the thread pool one by one (<see cref="HandOffRemaining"/>), and wakes the writer for any command the
/// blocked batch held back. Every item is claimed by an atomic increment, so it is completed exactly once, by the
/// runner or by the hand-off.
/// </remarks>
internal sealed class ReplyBatch : IThreadPoolWorkItem
{
    private static readonly long InlineBudget = Stopwatch.Frequency / 500;

    private readonly Action<ReplyBatch> _finished;
    private PendingCommand?[] _commands = new PendingCommand?[32];
    private RedisResult?[] _replies = new RedisResult?[32];
    private int _count;
    private int _next;
    private int _progressSeen = -1;

    public ReplyBatch(Action<ReplyBatch> finished) => _finished = finished;

    public int Count => _count;

    public void Add(PendingCommand command, RedisResult reply)
    {
        if (_count == _commands.Length)
        {
            Array.Resize(ref _commands, _count * 2);
            Array.Resize(ref _replies, _count * 2);
        }

        _commands[_count] = command;
        _replies[_count] = reply;
        _count++;
    }

    /// <summary>Readies a finished batch for reuse by the reader loop.</summary>
    public void Reset()
    {
        _count = 0;
        _next = 0;
        _progressSeen = -1;
    }

    void IThreadPoolWorkItem.Execute()
    {
        var outermost = CommandBacklog.EnterBatch();
        var started = Stopwatch.GetTimestamp();
        try
        {
            while (TryClaim(out var index))
            {
                Take(index, out var command, out var reply);
                command.TrySetResult(reply, inline: true);
                command.ReleaseFromPipeline();

                // Reading the clock costs about as much as a small continuation: look every fourth one.
                if ((index & 3) == 3 && Stopwatch.GetTimestamp() - started > InlineBudget)
                {
                    HandOffRemaining();
                }
            }
        }
        finally
        {
            if (outermost)
            {
                CommandBacklog.ExitBatch();
            }
        }

        _finished(this);
    }

    /// <summary>True when no item was claimed since the previous call (the runner is blocked, or has not started).</summary>
    public bool IsStalled()
    {
        var progress = Volatile.Read(ref _next);
        if (progress >= _count)
        {
            return false;
        }

        var stalled = progress == _progressSeen;
        _progressSeen = progress;
        return stalled;
    }

    /// <summary>Completes every unclaimed item with its continuation on the thread pool.</summary>
    public void HandOffRemaining()
    {
        while (TryClaim(out var index))
        {
            Take(index, out var command, out var reply);
            command.TrySetResult(reply, inline: false);
            command.ReleaseFromPipeline();
        }
    }

    private bool TryClaim(out int index)
    {
        index = Interlocked.Increment(ref _next) - 1;
        return index < _count;
    }

    private void Take(int index, out PendingCommand command, out RedisResult reply)
    {
        command = _commands[index]!;
        reply = _replies[index]!;
        _commands[index] = null;
        _replies[index] = null;
    }
}
