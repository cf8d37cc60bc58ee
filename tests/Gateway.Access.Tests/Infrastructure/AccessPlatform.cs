using McpPlatform.Hosting;
using McpPlatform.Hosting.Testing;
using McpPlatform.TestSupport;

namespace McpPlatform.Gateway.Access.Tests.Infrastructure;

/// <summary>
/// Real PostgreSQL, Redis and Access.Api (a process, as AppHost runs it) shared by the tests of a collection. Every
/// test makes its own users and keys, so tests do not see each other's state.
/// </summary>
public sealed class AccessPlatform : IAsyncLifetime
{
    private DistributedApplication? _app;
    private string? _state;

    /// <summary>Superuser connection string to Access.Api's database.</summary>
    public string Database { get; private set; } = "";

    public string Redis { get; private set; } = "";

    /// <summary>Access.Api's h2c gRPC address.</summary>
    public Uri AccessGrpc { get; private set; } = null!;

    /// <summary>Access.Api's REST address.</summary>
    public Uri AccessHttp { get; private set; } = null!;

    public AccessData Data { get; private set; } = null!;

    /// <summary>The bootstrap admin's key (Access.Api creates it at start, as under AppHost).</summary>
    public string AdminKey { get; } = McpPlatform.Contracts.Keys.ApiKeyFormat.Generate(McpPlatform.Contracts.Keys.ApiKeyEnvironment.Test);

    /// <summary>The PostgreSQL server process (the postmaster), for outage tests.</summary>
    public int PostgresPid => _app!.Resources.Single(r => r.Name == "postgres").Pids.Single();

    public Task InitializeAsync() => StartAsync();

    /// <summary>Starts the servers; <paramref name="accessSettings"/> go to Access.Api's environment.</summary>
    public async Task StartAsync(IReadOnlyDictionary<string, string>? accessSettings = null)
    {
        _state = DistributedApplicationTestingBuilder.NewStateDirectory();
        var builder = DistributedApplicationTestingBuilder.Create(typeof(AccessPlatform).Assembly, stateDirectory: _state);
        var accessDb = builder.AddPostgres("postgres").AddDatabase("accessdb");
        var redis = builder.AddRedis("redis");
        var access = builder.AddProject("access-api", "Access.Api/Access.Api.csproj")
            .WithHttp2Endpoint("grpc")
            .WithReference(accessDb).WaitFor(accessDb)
            .WithReference(redis).WaitFor(redis)
            .WithEnvironment("Access__Environment", "test")
            .WithEnvironment("Bootstrap__AdminEmail", "admin@example.test")
            .WithEnvironment("Bootstrap__ApiKey", AdminKey);
        foreach (var (name, value) in accessSettings ?? new Dictionary<string, string>())
        {
            access.WithEnvironment(name, value);
        }

        _app = builder.Build();
        await _app.StartAsync();
        Database = _app.GetConnectionString("accessdb") ?? throw new InvalidOperationException("PostgreSQL did not start.");
        Redis = _app.GetConnectionString("redis") ?? throw new InvalidOperationException("These tests need redis-server (apt-get install redis-server).");
        AccessGrpc = _app.GetEndpoint("access-api", "grpc");
        AccessHttp = _app.GetEndpoint("access-api");
        Data = new AccessData(Database, Redis);
    }

    public async Task DisposeAsync()
    {
        if (Data is not null)
        {
            await Data.DisposeAsync();
        }

        await StartedApplication.StopAsync(_app, _state);
    }
}

[CollectionDefinition(Name)]
public sealed class AccessPlatformCollection : ICollectionFixture<AccessPlatform>
{
    public const string Name = "Access platform";
}
