namespace McpPlatform.Redis.Tests.Infrastructure;

/// <summary>One redis-server shared by the tests of the "redis" collection; tests use unique keys.</summary>
public sealed class RedisFixture : IAsyncLifetime
{
    private RedisServer? _server;

    public RedisServer Server => _server ?? throw new InvalidOperationException("The fixture has not started.");

    public string ConnectionString => $"{Server.EndPoint},abortConnect=true";

    public async Task InitializeAsync() => _server = await RedisServer.StartAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    public Task<RedisMultiplexer> ConnectAsync(string extra = "") =>
        RedisMultiplexer.ConnectAsync(ConnectionString + extra);

    public static string UniqueKey(string prefix = "k") => $"{prefix}:{Guid.NewGuid():N}";
}
