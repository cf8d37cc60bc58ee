using System.ComponentModel;
using McpPlatform.Worker.Host.Catalog;
using McpPlatform.Worker.Host.Processes;

namespace McpPlatform.Worker.Host.Pool;

/// <summary>
/// One slot: one process at a time, supervised. It spawns the process, performs the MCP handshake itself
/// (shared/tenant), watches calls for timeouts, fails in-flight calls with a reason when the process ends,
/// and respawns with exponential backoff. Session-mode slots live for one session and never respawn.
/// The other parts: Starting (spawn, handshake), Messaging (sending, id remapping), Receiving (routing what
/// the server writes), Cancelling, Watchdog (timeouts, recycling).
/// </summary>
internal sealed partial class Slot : IStdioMessageHandler
{
    private readonly ServerPool _pool;
    private readonly object _gate = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly Dictionary<long, PendingCall> _pending = [];
    private readonly Stack<PendingCall> _spareCalls = new();
    private TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private StdioProcess? _process;
    private byte[] _initializeResult = [];
    private string? _lastStartError;
    private string? _stopReason;
    private Task _supervisor = Task.CompletedTask;
    private RpcFailure _killKind;
    private long _nextId;
    private long _startedAt;
    private long _lastActivity;
    private int _callsServed;
    private bool _recyclePending;

    public Slot(ServerPool pool, int number, string? tenant, string? sessionId)
    {
        _pool = pool;
        Number = number;
        Tenant = tenant;
        SessionId = sessionId;
        _lastActivity = pool.TimeProvider.GetTimestamp();
    }

    public int Number { get; }

    /// <summary>The tenant this slot's processes serve (tenant and session isolation); null when shared.</summary>
    public string? Tenant { get; }

    public string? SessionId { get; }

    /// <summary>Session isolation: the lease that owns this slot.</summary>
    public SlotLease? SessionLease { get; set; }

    /// <summary>Permits taken by leases (shared/tenant); guarded by the pool's lock.</summary>
    public int Reservations { get; set; }

    public SlotState State { get; private set; } = SlotState.Starting;

    public int ProcessId { get; private set; }

    public string WorkspacePath { get; private set; } = string.Empty;

    private ServerDefinition Definition => _pool.Definition;

    private bool IsSession => Definition.Isolation == IsolationMode.Session;

    /// <summary>Whether new leases may use this slot (not stopping, not waiting to be recycled).</summary>
    public bool IsAccepting
    {
        get
        {
            lock (_gate)
            {
                return !_recyclePending && State != SlotState.Stopped && !_stopping.IsCancellationRequested;
            }
        }
    }

    public int PendingCount
    {
        get
        {
            lock (_gate)
            {
                return _pending.Count;
            }
        }
    }

    public long LastActivity
    {
        get
        {
            lock (_gate)
            {
                return _lastActivity;
            }
        }
    }

    public void Start() => _supervisor = Task.Run(SuperviseAsync);

    /// <summary>Stops the slot for good: kills the process group and waits until it is reaped.</summary>
    public async Task StopAsync(string reason)
    {
        lock (_gate)
        {
            _stopReason ??= reason;
            _killKind = RpcFailure.Stopped;
        }

        // Cancel first so the supervisor does not respawn, then the polite MCP shutdown: close stdin, wait
        // StopGracePeriod, kill the group. Timeouts and crashes never come here; they kill at once.
        await _stopping.CancelAsync().ConfigureAwait(false);
        StdioProcess? process;
        lock (_gate)
        {
            process = _process;
        }

        if (process is not null)
        {
            await process.StopAsync(Definition.StopGracePeriod, reason).ConfigureAwait(false);
        }

        await _supervisor.ConfigureAwait(false);
    }

    private async Task SuperviseAsync()
    {
        var failures = 0;
        while (!_stopping.IsCancellationRequested)
        {
            TaskCompletionSource ready;
            lock (_gate)
            {
                // Callers may already wait on the first incarnation's source (created with the slot); reuse it.
                if (_ready.Task.IsCompleted)
                {
                    _ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                }

                ready = _ready;
                State = SlotState.Starting;
                _recyclePending = false;
                _killKind = RpcFailure.None;
                _callsServed = 0;
            }

            _pool.OnSlotChanged();
            StdioProcess? process = null;
            string? startError = null;
            var servedAny = false;
            try
            {
                process = await SpawnAsync().ConfigureAwait(false);
                if (!IsSession)
                {
                    await HandshakeAsync(process).ConfigureAwait(false);
                }

                int resent;
                lock (_gate)
                {
                    State = SlotState.Ready;
                    _startedAt = _lastActivity = _pool.TimeProvider.GetTimestamp();
                    _lastStartError = null;
                    resent = SendParked(process);
                }

                ready.TrySetResult();
                PoolLog.SlotReady(_pool.Logger, Definition.Name, Number, process.Pid);
                if (resent > 0)
                {
                    PoolLog.Resent(_pool.Logger, Definition.Name, Number, resent);
                }

                _pool.OnSlotChanged();
                await process.Completion.ConfigureAwait(false);
                lock (_gate)
                {
                    servedAny = _callsServed > 0;
                }
            }
            catch (SlotStartException e)
            {
                startError = e.Message;
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or Win32Exception or IOException or UnauthorizedAccessException)
            {
                startError = $"could not start '{Definition.Command}': {e.Message}";
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                startError = null;
            }

            var (failure, reason) = Classify(process, startError);
            if (process is not null)
            {
                await process.DisposeAsync().ConfigureAwait(false);
            }

            FailAll(failure, reason, process);
            lock (_gate)
            {
                _process = null;
                ProcessId = 0;
                State = SlotState.Backoff;
                if (startError is not null)
                {
                    _lastStartError = startError;
                }

                // A process that was ready has ended: callers arriving now wait for the next one, not the last.
                if (_ready.Task.IsCompleted)
                {
                    _ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                }
            }

            ready.TrySetException(new SlotStartException(reason));
            _ = ready.Task.Exception;
            if (_stopping.IsCancellationRequested || IsSession)
            {
                break;
            }

            _pool.Metrics.Restarted(Definition.Name);
            if (failure is RpcFailure.Stopped)
            {
                failures = 0;
                continue;
            }

            _pool.Metrics.Crashed(Definition.Name, failure);
            failures = servedAny ? 1 : failures + 1;
            var delay = Backoff(failures);
            if (startError is not null)
            {
                PoolLog.StartFailed(_pool.Logger, Definition.Name, Number, startError);
            }

            PoolLog.SlotEnded(_pool.Logger, Definition.Name, Number, failure, reason, delay.TotalMilliseconds);
            _pool.OnSlotChanged();
            try
            {
                await Task.Delay(delay, _pool.TimeProvider, _stopping.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        lock (_gate)
        {
            State = SlotState.Stopped;
            _ready.TrySetException(new SlotStartException("the slot has stopped"));
            _ = _ready.Task.Exception;
        }

        // Calls parked for a next process that will not come.
        FailAll(RpcFailure.Stopped, _stopReason ?? "the slot stopped");

        PoolLog.SlotStopped(_pool.Logger, Definition.Name, Number, _stopReason ?? "process ended");
        _pool.OnSlotStopped(this, _stopReason ?? _lastStartError ?? "the server process ended");
    }

    private (RpcFailure Failure, string Reason) Classify(StdioProcess? process, string? startError)
    {
        if (startError is not null)
        {
            return (RpcFailure.StartFailed, startError);
        }

        lock (_gate)
        {
            var reason = process?.StopReason ?? _stopReason ?? "the slot stopped";
            if (_killKind != RpcFailure.None)
            {
                return (_killKind, reason);
            }

            return reason.StartsWith("it ", StringComparison.Ordinal) && !reason.StartsWith("it closed", StringComparison.Ordinal)
                ? (RpcFailure.ProtocolViolation, $"the server broke the stdio protocol: {reason}")
                : (RpcFailure.ProcessExited, $"the server process ended: {reason}");
        }
    }

    private TimeSpan Backoff(int failures)
    {
        var factor = Math.Pow(2, Math.Min(failures - 1, 20));
        return TimeSpan.FromTicks((long)Math.Min(Definition.RestartBackoff.Ticks * factor, Definition.MaxRestartBackoff.Ticks));
    }
}
