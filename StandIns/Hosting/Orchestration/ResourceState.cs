namespace McpPlatform.Hosting.Orchestration;

/// <summary>Where a resource is in its life.</summary>
public enum ResourceState
{
    /// <summary>Not started yet.</summary>
    Pending,

    /// <summary>Waiting for the resources it waits for.</summary>
    Waiting,

    /// <summary>Being built, initialised or started.</summary>
    Starting,

    /// <summary>Running, not yet answering its readiness check.</summary>
    Running,

    /// <summary>Answering its readiness check.</summary>
    Ready,

    /// <summary>Could not start, or exited on its own.</summary>
    Failed,

    /// <summary>Being stopped.</summary>
    Stopping,

    /// <summary>Stopped.</summary>
    Stopped,

    /// <summary>Not run at all (Redis without a server: the platform runs single-node).</summary>
    Absent,
}
