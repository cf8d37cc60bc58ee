using System.Net.Http.Headers;
using McpPlatform.Contracts.Keys;
using McpPlatform.Hosting;
using McpPlatform.Hosting.Testing;
using McpPlatform.TestSupport;

namespace McpPlatform.Gateway.Access.Tests.Infrastructure;

/// <summary>
/// The whole path as AppHost runs it (PostgreSQL, Redis, Access.Api, Dispatcher.Grpc, Worker.Host with the echo
/// sample, Gateway.Edge referencing Access.Api), shared by the tests of a collection that drive real MCP clients at
/// <c>/mcp/echo</c> and <c>/sse/echo</c>. Every test makes its own users and keys.
/// </summary>
public sealed class EdgeTopology : IAsyncLifetime
{
    private DistributedApplication? _app;
    private string? _state;

    /// <summary>The bootstrap admin's key (Access.Api creates it at start, as under AppHost).</summary>
    public string AdminKey { get; } = ApiKeyFormat.Generate(ApiKeyEnvironment.Test);

    public Uri Gateway { get; private set; } = null!;

    public Uri Echo => new(Gateway, "/mcp/echo");

    public Uri LegacyEcho => new(Gateway, "/sse/echo");

    /// <summary>Access.Api's REST address.</summary>
    public Uri AccessHttp { get; private set; } = null!;

    /// <summary>Superuser connection string to Access.Api's database.</summary>
    public string Database { get; private set; } = "";

    public AccessData Data { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _state = DistributedApplicationTestingBuilder.NewStateDirectory();
        var builder = DistributedApplicationTestingBuilder.Create(typeof(EdgeTopology).Assembly, stateDirectory: _state);
        var accessDb = builder.AddPostgres("postgres").AddDatabase("accessdb");
        var redis = builder.AddRedis("redis");
        var access = builder.AddProject("access-api", "Access.Api/Access.Api.csproj")
            .WithHttp2Endpoint("grpc")
            .WithReference(accessDb).WaitFor(accessDb)
            .WithReference(redis).WaitFor(redis)
            .WithEnvironment("Access__Environment", "test")
            .WithEnvironment("Bootstrap__AdminEmail", "admin@example.test")
            .WithEnvironment("Bootstrap__ApiKey", AdminKey);
        var dispatcher = builder.AddProject("dispatcher", "Dispatcher.Grpc/Dispatcher.Grpc.csproj")
            .WithHttp2Endpoint("grpc")
            .WithReference(redis).WaitFor(redis);
        builder.AddProject("worker-host", "Worker.Host/Worker.Host.csproj")
            .WithHttp2Endpoint("grpc")
            .WithReference(dispatcher).WaitFor(dispatcher);
        builder.AddProject("gateway-edge", "Gateway.Edge/Gateway.Edge.csproj")
            .WithReference(redis).WaitFor(redis)
            .WithReference(dispatcher).WaitFor(dispatcher)
            .WithReference(access).WaitFor(access);
        _app = builder.Build();
        await _app.StartAsync();
        Gateway = _app.GetEndpoint("gateway-edge");
        AccessHttp = _app.GetEndpoint("access-api");
        Database = _app.GetConnectionString("accessdb") ?? throw new InvalidOperationException("PostgreSQL did not start.");
        Data = new AccessData(Database, _app.GetConnectionString("redis") ?? throw new InvalidOperationException("These tests need redis-server."));

        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        await Eventually.UntilAsync(async () => (await http.GetStringAsync(new Uri(Gateway, "/mcp"))).Contains("\"echo\"", StringComparison.Ordinal),
            "the worker's servers listed by GET /mcp", TimeSpan.FromSeconds(60));
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
public sealed class EdgeTopologyCollection : ICollectionFixture<EdgeTopology>
{
    public const string Name = "Edge topology";
}
