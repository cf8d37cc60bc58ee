using McpPlatform.Stores.Concurrency;
using McpPlatform.Stores.Events;
using McpPlatform.Stores.Invalidation;
using McpPlatform.Stores.RateLimiting;
using McpPlatform.Stores.Sessions;

namespace McpPlatform.Redis.Tests.Stores;

/// <summary>The five stores as one replica of a service sees them.</summary>
public sealed record StoreKit(
    IRateLimiter RateLimiter,
    IConcurrencyLimiter Concurrency,
    ISessionStore Sessions,
    ISessionEventLog Events,
    IInvalidationBus Bus);
