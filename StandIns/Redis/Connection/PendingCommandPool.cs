using System.Collections.Concurrent;

namespace McpPlatform.Redis.Connection;

/// <summary>
/// Released <see cref="PendingCommand"/>s, reused so the hot path does not allocate one awaitable per command.
/// Bounded: a burst of thousands of concurrent commands leaves at most <see cref="MaxPooled"/> behind.
/// </summary>
internal sealed class PendingCommandPool
{
    public const int MaxPooled = 1024;

    private readonly ConcurrentQueue<PendingCommand> _free = new();
    private int _count;

    /// <summary>The pool every connection uses.</summary>
    public static PendingCommandPool Shared { get; } = new();

    /// <summary>How many released commands wait to be reused.</summary>
    public int Count => Volatile.Read(ref _count);

    public PendingCommand Rent(string name, RedisValue[] args, bool idempotent, long deadline)
    {
        if (_free.TryDequeue(out var command))
        {
            Interlocked.Decrement(ref _count);
        }
        else
        {
            command = new PendingCommand(this);
        }

        command.Start(name, args, idempotent, deadline);
        return command;
    }

    /// <summary>Takes back a command that its caller and the pipeline have both released.</summary>
    public void Return(PendingCommand command)
    {
        if (Interlocked.Increment(ref _count) > MaxPooled)
        {
            Interlocked.Decrement(ref _count);
            return;
        }

        _free.Enqueue(command);
    }
}
