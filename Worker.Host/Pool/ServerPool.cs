using McpPlatform.Worker.Host.Catalog;
using McpPlatform.Worker.Host.Processes;
using McpPlatform.Worker.Host.Workspaces;
using McpPlatform.Processes;

namespace McpPlatform.Worker.Host.Pool;

/// <summary>
/// The slots of one catalog server and the rules for leasing them: least-loaded ready slot first; a new
/// slot while under MaxSlots; in tenant isolation only the tenant's own slots (an idle slot of another
/// tenant is retired to make room); in session isolation a fresh slot per session. Waits are bounded.
/// </summary>
internal sealed partial class ServerPool
{
    private readonly object _gate = new();
    private readonly List<Slot> _slots = [];
    private readonly Dictionary<(string Tenant, string Session), SlotLease> _sessions = [];
    private readonly List<(string? Tenant, IRelatedMessageSink Sink)> _subscribers = [];
    private readonly HashSet<Task> _retiring = [];
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _nextNumber;
    private bool _draining;

    public ServerPool(ServerDefinition definition, PoolContext context)
    {
        Definition = definition;
        TimeProvider = context.TimeProvider;
        Spawner = context.Spawner;
        Logger = context.Logger;
        ProcessLogger = context.ProcessLogger;
        Metrics = context.Metrics;
        Workspaces = context.Workspaces;
        Paths = context.Paths;
    }

    public ServerDefinition Definition { get; }

    public TimeProvider TimeProvider { get; }

    public ProcessLauncher Spawner { get; }

    public ILogger Logger { get; }

    public ILogger ProcessLogger { get; }

    public PoolMetrics Metrics { get; }

    public WorkspaceManager Workspaces { get; }

    public CatalogPaths Paths { get; }

    /// <summary>Wakes every waiter (a slot became ready or free, or the pool is draining).</summary>
    public void OnSlotChanged() =>
        Interlocked.Exchange(ref _changed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    /// <summary>A slot's supervisor ended: forget the slot; a session lease on it has ended too.</summary>
    public void OnSlotStopped(Slot slot, string reason)
    {
        lock (_gate)
        {
            _slots.Remove(slot);
        }

        if (slot.SessionLease is { } lease)
        {
            _ = ReleaseAsync(lease, reason).AsTask();
        }

        if (slot.WorkspacePath.Length > 0)
        {
            Workspaces.Release(slot.WorkspacePath);
        }
        OnSlotChanged();
    }

    /// <summary>Fans a list_changed (or resources/updated) notification out to the server's subscribers.</summary>
    public void FanOut(string? tenant, ReadOnlySpan<byte> notification)
    {
        lock (_subscribers)
        {
            foreach (var (subscriberTenant, sink) in _subscribers)
            {
                if (tenant is null || subscriberTenant is null || subscriberTenant == tenant)
                {
                    sink.OnMessage(notification);
                }
            }
        }
    }

    public IDisposable Subscribe(string? tenant, IRelatedMessageSink sink)
    {
        var entry = (tenant, sink);
        lock (_subscribers)
        {
            _subscribers.Add(entry);
        }

        return new Subscription(() =>
        {
            lock (_subscribers)
            {
                _subscribers.Remove(entry);
            }
        });
    }

    /// <summary>Watchdog tick: deadlines, recycling, idle slots and idle sessions, the warm minimum.</summary>
    public void Tick(bool checkMemory)
    {
        var now = TimeProvider.GetTimestamp();
        Slot[] slots;
        var idleSessions = new List<SlotLease>();
        var retire = new List<Slot>();
        lock (_gate)
        {
            slots = [.. _slots];
            if (!_draining)
            {
                var keep = Definition.Isolation == IsolationMode.Shared ? Definition.MinSlots : 0;
                var count = _slots.Count;
                foreach (var slot in slots)
                {
                    var idle = TimeProvider.GetElapsedTime(slot.LastActivity, now) >= Definition.IdleTimeout;
                    if (slot.SessionLease is { } lease)
                    {
                        if (TimeProvider.GetElapsedTime(lease.LastActivity, now) >= Definition.IdleTimeout && slot.PendingCount == 0)
                        {
                            idleSessions.Add(lease);
                        }
                    }
                    else if (Definition.Isolation != IsolationMode.Session && idle && slot.Reservations == 0 && slot.PendingCount == 0 && count > keep)
                    {
                        _slots.Remove(slot);
                        retire.Add(slot);
                        count--;
                    }
                }
            }
        }

        foreach (var slot in slots)
        {
            slot.Tick(now, checkMemory);
        }

        foreach (var slot in retire)
        {
            _ = Retire(slot, $"idle for {Definition.IdleTimeout}");
        }

        foreach (var lease in idleSessions)
        {
            _ = ReleaseAsync(lease, $"idle for {Definition.IdleTimeout}").AsTask();
        }

        EnsureMinimum();
    }

    /// <summary>Shared isolation keeps MinSlots processes warm.</summary>
    public void EnsureMinimum()
    {
        if (Definition.Isolation != IsolationMode.Shared)
        {
            return;
        }

        var start = new List<Slot>();
        lock (_gate)
        {
            while (!_draining && _slots.Count < Definition.MinSlots)
            {
                var slot = new Slot(this, ++_nextNumber, null, null);
                _slots.Add(slot);
                start.Add(slot);
            }
        }

        start.ForEach(s => s.Start());
    }

    /// <summary>
    /// Per slot, calls accepted but not yet answered or leases not yet released (shared/tenant), whichever is more: a
    /// leased call is both a reservation and a pending call, and counts once.
    /// </summary>
    public int InFlight()
    {
        lock (_gate)
        {
            return _slots.Sum(s => Math.Max(s.PendingCount, s.Reservations));
        }
    }

    public void BeginDrain()
    {
        lock (_gate)
        {
            _draining = true;
        }

        OnSlotChanged();
    }

    public async Task StopAsync()
    {
        Slot[] slots;
        SlotLease[] sessions;
        lock (_gate)
        {
            _draining = true;
            slots = [.. _slots];
            sessions = [.. _sessions.Values];
        }

        foreach (var lease in sessions)
        {
            lease.TryMarkReleased("the worker is stopping");
        }

        await Task.WhenAll(slots.Select(s => s.StopAsync("the worker is stopping"))).ConfigureAwait(false);
        Task[] retiring;
        lock (_retiring)
        {
            retiring = [.. _retiring];
        }

        await Task.WhenAll(retiring).ConfigureAwait(false);
        OnSlotChanged();
    }

    public IReadOnlyList<(SlotState State, bool Busy, int ProcessId, string? Tenant)> Snapshot()
    {
        lock (_gate)
        {
            return [.. _slots.Select(s => (s.State, s.Reservations > 0 || s.PendingCount > 0 || s.SessionLease is not null, s.ProcessId, s.Tenant))];
        }
    }

    private sealed class Subscription(Action dispose) : IDisposable
    {
        private Action? _dispose = dispose;

        public void Dispose() => Interlocked.Exchange(ref _dispose, null)?.Invoke();
    }
}
