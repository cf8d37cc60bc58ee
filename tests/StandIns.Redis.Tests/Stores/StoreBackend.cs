using McpPlatform.Stores;

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
