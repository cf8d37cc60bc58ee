using System.Threading.Tasks.Sources;

namespace McpPlatform.Redis.Connection;

/// <summary>
/// One command on its way to Redis and the awaitable for its reply. The first of reply, error, timeout or
/// cancellation wins; the command stays in the in-flight queue until its reply arrives, so replies keep
/// lining up with commands even after a caller gave up.
/// </summary>
internal sealed class PendingCommand : IValueTaskSource<RedisResult>
{
    private ManualResetValueTaskSourceCore<RedisResult> _core = new() { RunContinuationsAsynchronously = true };
    private CancellationTokenRegistration _registration;
    private int _completed;

    public PendingCommand(string name, RedisValue[] args, bool idempotent, long deadline)
    {
        Name = name;
        Args = args;
        Idempotent = idempotent;
        Deadline = deadline;
    }

    public string Name { get; }

    public RedisValue[] Args { get; }

    public bool Idempotent { get; }

    /// <summary>The <see cref="Environment.TickCount64"/> after which the command has timed out.</summary>
    public long Deadline { get; }

    public int Attempts { get; set; }

    public bool IsCompleted => Volatile.Read(ref _completed) != 0;

    public ValueTask<RedisResult> Task => new(this, _core.Version);

    public void RegisterCancellation(CancellationToken cancellationToken)
    {
        if (cancellationToken.CanBeCanceled)
        {
            _registration = cancellationToken.UnsafeRegister(
                static (state, token) => ((PendingCommand)state!).TrySetException(new OperationCanceledException(token)),
                this);
        }
    }

    public bool TrySetResult(RedisResult result)
    {
        if (Interlocked.Exchange(ref _completed, 1) != 0)
        {
            return false;
        }

        _registration.Unregister();
        if (result.Type == RedisResultType.Error)
        {
            _core.SetException(new RedisServerException(Name, result.Value.ToString()));
        }
        else
        {
            _core.SetResult(result);
        }

        return true;
    }

    public bool TrySetException(Exception exception)
    {
        if (Interlocked.Exchange(ref _completed, 1) != 0)
        {
            return false;
        }

        _registration.Unregister();
        _core.SetException(exception);
        return true;
    }

    RedisResult IValueTaskSource<RedisResult>.GetResult(short token) => _core.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource<RedisResult>.GetStatus(short token) => _core.GetStatus(token);

    void IValueTaskSource<RedisResult>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);
}
