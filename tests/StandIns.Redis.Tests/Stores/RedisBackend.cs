using McpPlatform.Redis.Tests.Infrastructure;
using McpPlatform.Stores;
using McpPlatform.Stores.Concurrency;
using McpPlatform.Stores.Events;
using McpPlatform.Stores.Invalidation;
using McpPlatform.Stores.RateLimiting;
using McpPlatform.Stores.Sessions;
using Microsoft.Extensions.Options;

namespace McpPlatform.Redis.Tests.Stores;

/// <summary>Redis mode: every replica has its own client (its own connections) to the shared test server.</summary>
public sealed class RedisBackend(string connectionString, StoreOptions options) : StoreBackend(options)
{
    private readonly List<RedisMultiplexer> _clients = [];

    public RedisBackend(RedisFixture fixture, StoreOptions options)
        : this(fixture.ConnectionString, options)
    {
    }

    public override async Task<StoreKit> CreateReplicaAsync()
    {
        var redis = await RedisMultiplexer.ConnectAsync(connectionString);
        lock (_clients)
        {
            _clients.Add(redis);
        }

        IOptions<StoreOptions> wrapped = Microsoft.Extensions.Options.Options.Create(Options);
        return new StoreKit(
            new RedisRateLimiter(redis, wrapped),
            new RedisConcurrencyLimiter(redis, wrapped),
            new RedisSessionStore(redis, wrapped),
            new RedisSessionEventLog(redis, wrapped),
            new RedisInvalidationBus(redis, wrapped));
    }

    public override async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            await client.DisposeAsync();
        }
    }
}
