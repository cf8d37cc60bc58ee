using McpPlatform.Hosting.ApplicationModel;

namespace McpPlatform.Hosting.Orchestration;

/// <summary>One resource being run: prepared (ports, connection strings), started, stopped.</summary>
internal abstract class ResourceRun(IResource resource, OrchestratorContext context)
{
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IResource Resource { get; } = resource;

    public OrchestratorContext Context { get; } = context;

    public ResourceState State { get; private set; } = ResourceState.Pending;

    public string? Detail { get; private set; }

    public abstract string Kind { get; }

    /// <summary>Completes when the resource is ready (or absent); faults when it failed to start.</summary>
    public Task Ready => _ready.Task;

    public virtual IReadOnlyDictionary<string, IReadOnlyList<string>> Endpoints => new Dictionary<string, IReadOnlyList<string>>();

    public virtual IReadOnlyList<int> Pids => [];

    /// <summary>Chooses ports and connection strings, before anything starts, so references can be wired.</summary>
    public virtual void Prepare()
    {
    }

    /// <summary>Starts the resource and returns when it is ready.</summary>
    public abstract Task StartAsync(CancellationToken cancellationToken);

    public abstract Task StopAsync();

    public ResourceSnapshot Snapshot() =>
        new(Resource.Name, Kind, State, Endpoints, Pids, Detail, (Resource as IResourceWithConnectionString)?.ConnectionString);

    public void MarkReady(string? detail = null)
    {
        SetState(ResourceState.Ready, detail ?? Detail);
        _ready.TrySetResult();
    }

    /// <summary>The resource will not run, and nothing should wait for it (Redis in single-node mode).</summary>
    public void MarkAbsent(string reason)
    {
        SetState(ResourceState.Absent, reason);
        _ready.TrySetResult();
    }

    public void MarkFailed(string reason)
    {
        SetState(ResourceState.Failed, reason);
        _ready.TrySetException(new DistributedApplicationException($"{Resource.Name}: {reason}"));
    }

    public void SetState(ResourceState state, string? detail = null)
    {
        State = state;
        Detail = detail ?? Detail;
        Context.OnChanged();
    }
}
