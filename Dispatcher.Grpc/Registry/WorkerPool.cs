using System.Collections.Immutable;

namespace McpPlatform.Dispatcher.Grpc.Registry;

/// <summary>
/// This replica's view of the live workers, refreshed from the <see cref="IWorkerDirectory"/> by the
/// <see cref="WorkerSweeper"/> and updated at once by registrations this replica receives. Reads are lock-free
/// (an immutable snapshot), which is what the per-call worker choice needs.
/// </summary>
internal sealed class WorkerPool(TimeProvider time)
{
    private readonly Lock _gate = new();
    private ImmutableDictionary<string, WorkerRecord> _workers = ImmutableDictionary.Create<string, WorkerRecord>(StringComparer.Ordinal);
    private ImmutableDictionary<string, long> _unreachableUntil = ImmutableDictionary.Create<string, long>(StringComparer.Ordinal);
    private ImmutableHashSet<string> _knownServers = ImmutableHashSet.Create<string>(StringComparer.Ordinal);

    /// <summary>Raised when capacity may have appeared (a worker registered or heartbeat), so queued calls are retried.</summary>
    public event Action? CapacityChanged;

    public IReadOnlyCollection<WorkerRecord> Workers => _workers.Values.ToList();

    /// <summary>True when some worker ever announced <paramref name="server"/> to this replica (unknown servers are NOT_FOUND).</summary>
    public bool IsKnownServer(string server) => _knownServers.Contains(server);

    public WorkerRecord? Find(string workerId) => _workers.GetValueOrDefault(workerId);

    /// <summary>Live workers whose catalog has <paramref name="server"/>, excluding those just found unreachable.</summary>
    public IReadOnlyList<WorkerRecord> Candidates(string server)
    {
        var now = time.GetTimestamp();
        var unreachable = _unreachableUntil;
        return _workers.Values
            .Where(worker => worker.Find(server) is not null && !(unreachable.TryGetValue(worker.Id, out var until) && until > now))
            .OrderBy(worker => worker.Id, StringComparer.Ordinal)
            .ToList();
    }

    public void Upsert(WorkerRecord worker)
    {
        lock (_gate)
        {
            _workers = _workers.SetItem(worker.Id, worker);
            _unreachableUntil = _unreachableUntil.Remove(worker.Id);
            _knownServers = _knownServers.Union(worker.Registration.Catalog.Select(entry => entry.Name));
        }

        CapacityChanged?.Invoke();
    }

    public WorkerRecord? Remove(string workerId)
    {
        lock (_gate)
        {
            var worker = _workers.GetValueOrDefault(workerId);
            _workers = _workers.Remove(workerId);
            return worker;
        }
    }

    /// <summary>
    /// Replaces the view with the directory's <paramref name="live"/> workers, keeping those registered here since
    /// the view <paramref name="seen"/> was taken (the directory read may predate them).
    /// </summary>
    public void Replace(IReadOnlyList<WorkerRecord> live, IReadOnlySet<string> seen)
    {
        lock (_gate)
        {
            var next = live.ToDictionary(worker => worker.Id, StringComparer.Ordinal);
            foreach (var (id, worker) in _workers)
            {
                if (!seen.Contains(id) && !next.ContainsKey(id))
                {
                    next[id] = worker;
                }
            }

            _workers = next.ToImmutableDictionary(StringComparer.Ordinal);
            _knownServers = _knownServers.Union(live.SelectMany(worker => worker.Registration.Catalog.Select(entry => entry.Name)));
        }

        CapacityChanged?.Invoke();
    }

    /// <summary>Keeps calls away from a worker that could not be reached, until its next heartbeat or <paramref name="for"/>.</summary>
    public void MarkUnreachable(string workerId, TimeSpan @for)
    {
        lock (_gate)
        {
            _unreachableUntil = _unreachableUntil.SetItem(workerId, time.GetTimestamp() + (long)(@for.TotalSeconds * time.TimestampFrequency));
        }
    }
}
