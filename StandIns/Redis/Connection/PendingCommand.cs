using System.Threading.Tasks.Sources;

namespace McpPlatform.Redis.Connection;

/// <summary>
/// One command on its way to Redis and the awaitable for its reply, pooled and reused. The first of reply, error,
/// timeout or cancellation wins; the command stays in the in-flight queue until its reply arrives, so replies keep
/// lining up with commands even after a caller gave up.
/// </summary>
/// <remarks>
/// Two parties hold a command: the caller, until it has read the result (<c>GetResult</c>), and the pipeline (backlog,
/// in-flight queue, reply batch), until it has let go of it for good. Only when both have released it does it go back
/// to the pool, so a late reply to a cancelled command still finds the command it belongs to, never its next user.
/// Completion is a compare-and-swap on <see cref="_state"/> (incarnation × 2 + completed bit), so code that may hold a
/// stale reference (the timeout sweep enumerates a snapshot of the in-flight queue) can only complete the incarnation
/// it looked at. A command whose cancellation callback may still run is never reused.
/// </remarks>
internal sealed class PendingCommand : IValueTaskSource<RedisResult>
{
    private const int CallerHolds = 1;
    private const int PipelineHolds = 2;

    private readonly PendingCommandPool _pool;
    private ManualResetValueTaskSourceCore<RedisResult> _core;
    private CancellationTokenRegistration _registration;
    private bool _registered;
    private bool _poisoned;
    private int _state = 1;
    private int _holders;

    internal PendingCommand(PendingCommandPool pool) => _pool = pool;

    public string Name { get; private set; } = "";

    public RedisValue[] Args { get; private set; } = [];

    public bool Idempotent { get; private set; }

    /// <summary>The <see cref="Environment.TickCount64"/> after which the command has timed out.</summary>
    public long Deadline { get; private set; }

    public int Attempts { get; set; }

    public bool IsCompleted => (Volatile.Read(ref _state) & 1) != 0;

    /// <summary>The caller's awaitable; valid until the caller has read its result once.</summary>
    public ValueTask<RedisResult> Task => new(this, _core.Version);

    /// <summary>The incarnation: changes every time the command is rented again (for tests).</summary>
    internal int Incarnation => Volatile.Read(ref _state) >> 1;

    /// <summary>Rents a command from the shared pool.</summary>
    public static PendingCommand Rent(string name, RedisValue[] args, bool idempotent, long deadline) =>
        PendingCommandPool.Shared.Rent(name, args, idempotent, deadline);

    /// <summary>Starts a new incarnation (called by the pool on a fresh or released command).</summary>
    internal void Start(string name, RedisValue[] args, bool idempotent, long deadline)
    {
        Name = name;
        Args = args;
        Idempotent = idempotent;
        Deadline = deadline;
        Attempts = 0;
        _holders = CallerHolds | PipelineHolds;

        // Released commands are parked completed (odd state): the next even value opens a new incarnation. Written
        // last, so whoever sees the new incarnation also sees its deadline.
        Volatile.Write(ref _state, _state + 1);
    }

    public void RegisterCancellation(CancellationToken cancellationToken)
    {
        if (cancellationToken.CanBeCanceled)
        {
            _registration = cancellationToken.UnsafeRegister(
                static (state, token) => ((PendingCommand)state!).TrySetException(new OperationCanceledException(token)),
                this);
            _registered = true;
        }
    }

    /// <summary>Completes the command with its reply. Inline runs the caller's continuation on this thread (reply batches only).</summary>
    public bool TrySetResult(RedisResult result, bool inline = false)
    {
        if (!TryClaim(Volatile.Read(ref _state)))
        {
            return false;
        }

        if (result.Type == RedisResultType.Error)
        {
            Complete(null, new RedisServerException(Name, result.Value.ToString()), inline);
        }
        else
        {
            Complete(result, null, inline);
        }

        return true;
    }

    /// <summary>Fails the command; the caller's continuation always runs on the thread pool, never inside this call.</summary>
    public bool TrySetException(Exception exception)
    {
        if (!TryClaim(Volatile.Read(ref _state)))
        {
            return false;
        }

        Complete(null, exception, inline: false);
        return true;
    }

    /// <summary>Fails the command with a timeout if its deadline has passed; safe on a reference that may be stale.</summary>
    public void TryExpire(long now, Func<PendingCommand, Exception> timeout)
    {
        var state = Volatile.Read(ref _state);
        if ((state & 1) == 0 && now > Deadline && TryClaim(state))
        {
            Complete(null, timeout(this), inline: false);
        }
    }

    /// <summary>The pipeline lets go of the command (its reply was handled, or it left the queues for good).</summary>
    public void ReleaseFromPipeline() => Release(PipelineHolds);

    private bool TryClaim(int state) =>
        (state & 1) == 0 && Interlocked.CompareExchange(ref _state, state | 1, state) == state;

    private void Complete(RedisResult? result, Exception? error, bool inline)
    {
        // Unregister fails when the callback has run or is running: it lost the race, but it still holds a reference.
        if (_registered && !_registration.Unregister())
        {
            _poisoned = true;
        }

        _core.RunContinuationsAsynchronously = !inline;
        if (error is not null)
        {
            _core.SetException(error);
        }
        else
        {
            _core.SetResult(result!);
        }
    }

    private void Release(int holder)
    {
        var before = Interlocked.And(ref _holders, ~holder);
        if ((before & holder) == 0 || (before & ~holder) != 0)
        {
            return;
        }

        if (_poisoned)
        {
            return;
        }

        _core.Reset();
        _registration = default;
        _registered = false;
        Args = [];
        _pool.Return(this);
    }

    RedisResult IValueTaskSource<RedisResult>.GetResult(short token)
    {
        // A wrong token (a ValueTask kept past its use, after the command was reused) throws and releases nothing.
        if (token != _core.Version)
        {
            return _core.GetResult(token);
        }

        try
        {
            return _core.GetResult(token);
        }
        finally
        {
            Release(CallerHolds);
        }
    }

    ValueTaskSourceStatus IValueTaskSource<RedisResult>.GetStatus(short token) => _core.GetStatus(token);

    void IValueTaskSource<RedisResult>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);
}
