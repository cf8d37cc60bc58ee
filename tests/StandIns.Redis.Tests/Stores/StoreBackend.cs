using McpPlatform.Redis.Tests.Infrastructure;
using McpPlatform.Stores;
using McpPlatform.Stores.Concurrency;
using McpPlatform.Stores.Events;
using McpPlatform.Stores.Invalidation;
using McpPlatform.Stores.RateLimiting;
using McpPlatform.Stores.Sessions;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace McpPlatform.Redis.Tests.Stores;

/// <summary>Where the stores under test live. <see cref="CreateReplicaAsync"/> gives what one more service replica would see.</summary>
public abstract class StoreBackend : IAsyncDisposable
{
    protected StoreBackend(StoreOptions options) => Options = options;

    public StoreOptions Options { get; }

    public abstract Task<StoreKit> CreateReplicaAsync();

    public abstract ValueTask DisposeAsync();

    public static StoreOptions DefaultOptions() => new()
    {
        KeyPrefix = $"t{Guid.NewGuid():N}:",
        SessionIdleTimeout = TimeSpan.FromSeconds(2),
        EventLogMaxLength = 1000,
        EventLogRetention = TimeSpan.FromMinutes(5),
    };
}

/// <summary>Single-node mode: every "replica" is the same process, so they share one set of in-process stores.</summary>
public sealed class InProcessBackend(StoreOptions options) : StoreBackend(options)
{
    private readonly StoreKit _kit = new(
        new InProcessRateLimiter(TimeProvider.System),
        new InProcessConcurrencyLimiter(TimeProvider.System),
        new InProcessSessionStore(TimeProvider.System, Microsoft.Extensions.Options.Options.Create(options)),
        new InProcessSessionEventLog(TimeProvider.System, Microsoft.Extensions.Options.Options.Create(options)),
        new InProcessInvalidationBus(NullLogger<InProcessInvalidationBus>.Instance));

    public override Task<StoreKit> CreateReplicaAsync() => Task.FromResult(_kit);

    public override ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

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
