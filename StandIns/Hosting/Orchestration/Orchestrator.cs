using McpPlatform.Hosting.ApplicationModel;
using McpPlatform.Hosting.Infrastructure;

namespace McpPlatform.Hosting.Orchestration;

/// <summary>
/// Runs the resource graph: 1) prepare every resource (ports, connection strings) so references
/// can be wired before anything starts; 2) start each resource once everything it waits for is
/// ready, in parallel where the graph allows; 3) stop dependents before their dependencies.
/// </summary>
internal sealed class Orchestrator
{
    private readonly IReadOnlyList<IResource> _resources;
    private readonly Dictionary<IResource, ResourceRun> _runs = [];

    public Orchestrator(IReadOnlyList<IResource> resources, OrchestratorContext context)
    {
        _resources = resources;
        Context = context;
        foreach (var resource in resources)
        {
            _runs[resource] = resource switch
            {
                PostgresServerResource server => new PostgresRun(server, context),
                PostgresDatabaseResource database => new DatabaseRun(database, context, RunOf(database.Server)),
                RedisResource redis => new RedisRun(redis, context),
                ProjectResource project => new ProjectRun(project, context, RunOf),
                _ => throw new NotSupportedException($"No runner for resource type {resource.GetType().Name}."),
            };
        }
    }

    public OrchestratorContext Context { get; }

    public IReadOnlyList<ResourceSnapshot> Snapshots => _resources.Select(r => _runs[r].Snapshot()).ToArray();

    public ResourceRun RunOf(IResource resource) => _runs[resource];

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var run in _runs.Values.Where(r => r is not ProjectRun))
        {
            run.Prepare();
        }
        foreach (var run in _runs.Values.OfType<ProjectRun>())
        {
            // In-process stores are per process: without Redis, replicas would not share sessions.
            if (run.Project.Replicas > 1 && run.Project.References.OfType<RedisResource>().Any(r => r.IsAbsent))
            {
                Context.View.Notice($"{run.Project.Name}: 1 replica instead of {run.Project.Replicas}, because Redis is absent.");
                run.Project.Replicas = 1;
            }
            run.Prepare();
        }
        var starts = _resources.Select(r => StartOneAsync(_runs[r], cancellationToken)).ToArray();
        try
        {
            await Task.WhenAll(starts);
        }
        catch
        {
            var failures = starts.Where(s => s.IsFaulted).SelectMany(s => s.Exception!.InnerExceptions)
                .Select(e => e.Message).Distinct().ToArray();
            if (cancellationToken.IsCancellationRequested && failures.Length == 0)
            {
                throw new OperationCanceledException(cancellationToken);
            }
            throw new DistributedApplicationException(string.Join(Environment.NewLine, failures));
        }
    }

    public async Task StopAsync()
    {
        // Dependents first: a resource stops once everything that waits for or references it has stopped.
        var stopped = new Dictionary<IResource, Task>();
        foreach (var resource in _resources)
        {
            _ = StopOne(resource);
        }
        await Task.WhenAll(stopped.Values);

        Task StopOne(IResource resource)
        {
            if (stopped.TryGetValue(resource, out var task))
            {
                return task;
            }
            var dependents = _resources.Where(r => DependsOn(r, resource)).Select(StopOne).ToArray();
            task = StopAfterAsync(resource, dependents);
            stopped[resource] = task;
            return task;
        }
    }

    private async Task StopAfterAsync(IResource resource, Task[] dependents)
    {
        await Task.WhenAll(dependents);
        await _runs[resource].StopAsync();
    }

    private static bool DependsOn(IResource resource, IResource dependency) => resource switch
    {
        ProjectResource p => p.WaitsFor.Contains(dependency) || p.References.Contains(dependency)
                             || p.References.OfType<PostgresDatabaseResource>().Any(d => d.Server == dependency),
        PostgresDatabaseResource d => d.Server == dependency,
        _ => false,
    };

    private async Task StartOneAsync(ResourceRun run, CancellationToken cancellationToken)
    {
        try
        {
            var waits = run.Resource is ProjectResource project ? project.WaitsFor.Select(r => _runs[r].Ready).ToArray() : [];
            if (waits.Length > 0)
            {
                run.SetState(ResourceState.Waiting);
                try
                {
                    await Task.WhenAll(waits).WaitAsync(cancellationToken);
                }
                catch (DistributedApplicationException)
                {
                    run.MarkFailed("not started: a resource it waits for failed");
                    return;
                }
            }
            await run.StartAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            run.MarkFailed("start cancelled");
            throw;
        }
        catch (Exception ex) when (ex is DistributedApplicationException or IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            run.MarkFailed(ex.Message);
            throw new DistributedApplicationException($"{run.Resource.Name}: {ex.Message}", ex);
        }
    }
}
