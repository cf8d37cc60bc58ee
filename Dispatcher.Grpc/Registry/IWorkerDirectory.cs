using McpPlatform.Contracts.Worker.V1;

namespace McpPlatform.Dispatcher.Grpc.Registry;

/// <summary>
/// Where registrations live: Redis with a time to live per worker (so every replica sees the same workers and a
/// silent worker disappears by itself), or this process in single-node mode.
/// </summary>
internal interface IWorkerDirectory
{
    /// <summary>Stores (or replaces) a worker's registration; it lapses after <paramref name="ttl"/> without a heartbeat.</summary>
    ValueTask RegisterAsync(RegisterRequest registration, TimeSpan ttl, CancellationToken cancellationToken);

    /// <summary>Records a heartbeat and extends the worker's life; false when the worker is unknown (register again).</summary>
    ValueTask<bool> HeartbeatAsync(HeartbeatRequest heartbeat, TimeSpan ttl, CancellationToken cancellationToken);

    /// <summary>Removes a worker; false when it was unknown.</summary>
    ValueTask<bool> DeregisterAsync(string workerId, CancellationToken cancellationToken);

    /// <summary>Every live worker, with its latest heartbeat.</summary>
    ValueTask<IReadOnlyList<WorkerRecord>> ListAsync(CancellationToken cancellationToken);
}
