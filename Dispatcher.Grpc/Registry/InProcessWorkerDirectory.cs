using McpPlatform.Contracts.Worker.V1;

namespace McpPlatform.Dispatcher.Grpc.Registry;

/// <summary>The single-node twin of <see cref="RedisWorkerDirectory"/>: the same expiry rules, in a dictionary.</summary>
internal sealed class InProcessWorkerDirectory(TimeProvider time) : IWorkerDirectory
{
    private readonly Dictionary<string, Entry> _workers = new(StringComparer.Ordinal);

    public ValueTask RegisterAsync(RegisterRequest registration, TimeSpan ttl, CancellationToken cancellationToken)
    {
        lock (_workers)
        {
            _workers[registration.WorkerId] = new Entry(new WorkerRecord(registration, null), time.GetUtcNow() + ttl);
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<bool> HeartbeatAsync(HeartbeatRequest heartbeat, TimeSpan ttl, CancellationToken cancellationToken)
    {
        lock (_workers)
        {
            var now = time.GetUtcNow();
            if (!_workers.TryGetValue(heartbeat.WorkerId, out var entry) || entry.ExpiresAt <= now)
            {
                _workers.Remove(heartbeat.WorkerId);
                return ValueTask.FromResult(false);
            }

            _workers[heartbeat.WorkerId] = new Entry(entry.Record with { LastHeartbeat = heartbeat }, now + ttl);
            return ValueTask.FromResult(true);
        }
    }

    public ValueTask<bool> DeregisterAsync(string workerId, CancellationToken cancellationToken)
    {
        lock (_workers)
        {
            return ValueTask.FromResult(_workers.Remove(workerId));
        }
    }

    public ValueTask<IReadOnlyList<WorkerRecord>> ListAsync(CancellationToken cancellationToken)
    {
        lock (_workers)
        {
            var now = time.GetUtcNow();
            foreach (var (id, entry) in _workers)
            {
                if (entry.ExpiresAt <= now)
                {
                    _workers.Remove(id);
                }
            }

            return ValueTask.FromResult<IReadOnlyList<WorkerRecord>>(_workers.Values.Select(entry => entry.Record).ToList());
        }
    }

    private sealed record Entry(WorkerRecord Record, DateTimeOffset ExpiresAt);
}
