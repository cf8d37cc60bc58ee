using McpPlatform.Hosting.ApplicationModel;

namespace McpPlatform.Hosting.Orchestration;

/// <summary>A database is ready when its server is (the server creates it before it reports ready).</summary>
internal sealed class DatabaseRun(PostgresDatabaseResource database, OrchestratorContext context, ResourceRun server)
    : ResourceRun(database, context)
{
    public override string Kind => "postgres-database";

    public override IReadOnlyDictionary<string, IReadOnlyList<string>> Endpoints => server.Endpoints;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        SetState(ResourceState.Waiting);
        try
        {
            await server.Ready.WaitAsync(cancellationToken);
        }
        catch (DistributedApplicationException)
        {
            MarkFailed($"server {server.Resource.Name} failed");
            return;
        }
        MarkReady($"on {server.Resource.Name}");
    }

    public override Task StopAsync()
    {
        if (State != ResourceState.Pending)
        {
            SetState(ResourceState.Stopped);
        }
        return Task.CompletedTask;
    }
}
