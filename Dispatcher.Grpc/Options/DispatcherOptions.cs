namespace McpPlatform.Dispatcher.Grpc.Options;

/// <summary>
/// The dispatcher's settings, bound from the "Dispatcher" section. Defaults shown:
/// <code>
/// "Dispatcher": {
///   "HeartbeatInterval": "00:00:05",   // told to workers at Register
///   "MissedHeartbeats": 3,             // a worker silent for this many intervals is removed
///   "RegistryRefreshInterval": "00:00:01", // how often each replica re-reads the registry (Redis)
///   "LeaseTtl": "00:00:30",            // slot and plan leases lapse after this without renewal
///   "MaxQueueLength": 1000,            // queued calls per server before "busy: queue full"
///   "QueueTimeout": "00:00:10",        // a queued call gives up with "busy: queue timeout"
///   "QueuePollInterval": "00:00:00.250", // re-try queued calls (slots freed by other replicas)
///   "RetryAfter": "00:00:01",          // the Retry-After of busy answers
///   "ListCacheTtl": "00:00:30",        // tools/prompts/resources list cache (seed 000)
///   "SessionIdleTimeout": "00:05:00",  // Session streams idle this long are closed
///   "SessionReclaimAfter": "00:01:00", // a new session with no free slot may take one silent this long (0: never)
///   "MaxWorkerAttempts": 2,            // workers tried when one cannot be reached
///   "LeaseBank": { ... }               // relayed calls' leases from a local bank (LeaseBankOptions)
/// }
/// </code>
/// </summary>
public sealed class DispatcherOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Dispatcher";

    /// <summary>How often workers heartbeat. Default 5 s.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Heartbeats a worker may miss before it is removed and its leases come back. Default 3.</summary>
    public int MissedHeartbeats { get; set; } = 3;

    /// <summary>How often each replica re-reads the registry and sweeps lost workers. Default 1 s.</summary>
    public TimeSpan RegistryRefreshInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Time to live of slot and plan leases; running work renews them. Default 30 s.</summary>
    public TimeSpan LeaseTtl { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Calls queued per server before new ones get "busy: queue full". Default 1000.</summary>
    public int MaxQueueLength { get; set; } = 1000;

    /// <summary>How long a call may wait in the queue before "busy: queue timeout". Default 10 s.</summary>
    public TimeSpan QueueTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often queued calls are retried even without a local release. Default 250 ms.</summary>
    public TimeSpan QueuePollInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Retry-After of busy answers. Default 1 s.</summary>
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long list answers are cached per (server, protocol revision). Default 30 s; zero disables.</summary>
    public TimeSpan ListCacheTtl { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Session streams without traffic for this long are closed (unless the open frame says otherwise). Default 5 min.</summary>
    public TimeSpan SessionIdleTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// A new session that finds no free slot takes the slot of the same server's session that has been silent longest,
    /// if that one waits for no answer and has been silent at least this long (clients often leave without DELETE, and
    /// their sessions would hold slots until the idle timeout). Default 1 min; zero disables.
    /// </summary>
    public TimeSpan SessionReclaimAfter { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Workers tried for one call when a worker cannot be reached. Default 2.</summary>
    public int MaxWorkerAttempts { get; set; } = 2;

    /// <summary>The lease bank of relayed calls (see <see cref="LeaseBankOptions"/>).</summary>
    public LeaseBankOptions LeaseBank { get; set; } = new();

    /// <summary>After this long without a heartbeat a worker is lost.</summary>
    public TimeSpan WorkerTimeout => HeartbeatInterval * MissedHeartbeats;

    internal IEnumerable<string> Validate()
    {
        if (HeartbeatInterval < TimeSpan.FromMilliseconds(10))
        {
            yield return "Dispatcher:HeartbeatInterval must be at least 10 ms.";
        }

        if (MissedHeartbeats < 1)
        {
            yield return "Dispatcher:MissedHeartbeats must be at least 1.";
        }

        if (RegistryRefreshInterval < TimeSpan.FromMilliseconds(10))
        {
            yield return "Dispatcher:RegistryRefreshInterval must be at least 10 ms.";
        }

        if (LeaseTtl < TimeSpan.FromMilliseconds(100))
        {
            yield return "Dispatcher:LeaseTtl must be at least 100 ms.";
        }

        if (MaxQueueLength < 0)
        {
            yield return "Dispatcher:MaxQueueLength must not be negative (0 answers busy at once when no slot is free).";
        }

        if (QueueTimeout <= TimeSpan.Zero)
        {
            yield return "Dispatcher:QueueTimeout must be positive.";
        }

        if (QueuePollInterval < TimeSpan.FromMilliseconds(10))
        {
            yield return "Dispatcher:QueuePollInterval must be at least 10 ms.";
        }

        if (RetryAfter < TimeSpan.FromSeconds(1))
        {
            yield return "Dispatcher:RetryAfter must be at least 1 s (Retry-After has a one-second resolution).";
        }

        if (ListCacheTtl < TimeSpan.Zero)
        {
            yield return "Dispatcher:ListCacheTtl must not be negative (zero disables the cache).";
        }

        if (SessionIdleTimeout < TimeSpan.FromSeconds(1))
        {
            yield return "Dispatcher:SessionIdleTimeout must be at least 1 s.";
        }

        if (SessionReclaimAfter < TimeSpan.Zero)
        {
            yield return "Dispatcher:SessionReclaimAfter must not be negative (zero disables reclaiming).";
        }

        if (MaxWorkerAttempts < 1)
        {
            yield return "Dispatcher:MaxWorkerAttempts must be at least 1.";
        }

        if (LeaseBank is null)
        {
            yield return "Dispatcher:LeaseBank must be an object.";
            yield break;
        }

        foreach (var problem in LeaseBank.Validate())
        {
            yield return problem;
        }
    }
}
