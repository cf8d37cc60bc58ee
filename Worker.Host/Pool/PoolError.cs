namespace McpPlatform.Worker.Host.Pool;

/// <summary>Why <see cref="IWorkerPool.AcquireAsync"/> could not give a lease.</summary>
public enum PoolError
{
    /// <summary>The catalog has no server by that name.</summary>
    UnknownServer,

    /// <summary>Every slot stayed busy for the server's AcquireTimeout; answer "busy" (429 + Retry-After).</summary>
    Busy,

    /// <summary>The host is draining (shutting down) and takes no new leases; retry on another host.</summary>
    Draining,

    /// <summary>A session-mode session has ended (released or idle); the client must re-initialize.</summary>
    SessionEnded,
}
