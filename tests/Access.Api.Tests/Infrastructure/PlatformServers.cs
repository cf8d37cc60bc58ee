using McpPlatform.Hosting;
using McpPlatform.Hosting.Testing;
using McpPlatform.TestSupport;
using Npgsql;
using Xunit;

namespace McpPlatform.Access.Api.Tests.Infrastructure;

/// <summary>
/// One real PostgreSQL server and one real redis-server for the whole collection (started by the testing builder);
/// each test gets a database of its own from <see cref="NewDatabaseAsync"/>.
/// </summary>
public sealed class PlatformServers : IAsyncLifetime
{
    private DistributedApplication? _app;
    private string? _state;

    /// <summary>A superuser connection string to the server's "postgres" database.</summary>
    public string Postgres { get; private set; } = "";

    public string Redis { get; private set; } = "";

    public async Task InitializeAsync()
    {
        _state = DistributedApplicationTestingBuilder.NewStateDirectory();
        var builder = DistributedApplicationTestingBuilder.Create(typeof(PlatformServers).Assembly, stateDirectory: _state);
        builder.AddPostgres("postgres");
        builder.AddRedis("redis");
        _app = builder.Build();
        await _app.StartAsync();
        Postgres = _app.GetConnectionString("postgres") ?? throw new InvalidOperationException("PostgreSQL did not start.");
        Redis = _app.GetConnectionString("redis") ?? throw new InvalidOperationException("These tests need redis-server (apt-get install redis-server).");
    }

    /// <summary>Creates an empty database and returns a superuser connection string to it.</summary>
    public async Task<string> NewDatabaseAsync()
    {
        var name = "access_" + Guid.NewGuid().ToString("N")[..12];
        await using (var connection = new NpgsqlConnection(Postgres))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(Postgres) { Database = name }.ConnectionString;
    }

    public async Task DisposeAsync()
    {
        await StartedApplication.StopAsync(_app, _state);
    }
}

[CollectionDefinition(Name)]
public sealed class PlatformCollection : ICollectionFixture<PlatformServers>
{
    public const string Name = "platform servers";
}
