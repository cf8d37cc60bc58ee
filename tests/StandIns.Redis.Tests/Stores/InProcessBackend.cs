using McpPlatform.Stores;
using McpPlatform.Stores.Concurrency;
using McpPlatform.Stores.Events;
using McpPlatform.Stores.Invalidation;
using McpPlatform.Stores.RateLimiting;
using McpPlatform.Stores.Sessions;
using Microsoft.Extensions.Logging.Abstractions;

namespace McpPlatform.Redis.Tests.Stores;

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
