using McpPlatform.Redis;
using McpPlatform.Stores;
using McpPlatform.Stores.Concurrency;
using McpPlatform.Stores.Events;
using McpPlatform.Stores.Hosting;
using McpPlatform.Stores.Invalidation;
using McpPlatform.Stores.RateLimiting;
using McpPlatform.Stores.Sessions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.Hosting;

/// <summary>Registers the platform's shared stores.</summary>
public static class StoreRegistrationExtensions
{
    /// <summary>The connection-string name the stores use.</summary>
    public const string RedisConnectionName = "redis";

    /// <summary>
    /// Registers <see cref="IRateLimiter"/>, <see cref="IConcurrencyLimiter"/>, <see cref="ISessionStore"/>,
    /// <see cref="ISessionEventLog"/> and <see cref="IInvalidationBus"/>: Redis-backed when <c>ConnectionStrings:redis</c>
    /// is set (adding the Redis client and its "ready" health check unless already added), otherwise their in-process
    /// twins, with one log line at start saying the service runs in single-node mode. Options: the "Stores" section.
    /// </summary>
    public static IHostApplicationBuilder AddPlatformStores(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<StoreOptions>()
            .BindConfiguration(StoreOptions.SectionName)
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<StoreOptions>, StoreOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);

        if (!string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString(RedisConnectionName)))
        {
            if (!services.Any(service => service.ServiceType == typeof(RedisMultiplexer)))
            {
                builder.AddRedisClient(RedisConnectionName);
            }

            services.TryAddSingleton<IRateLimiter, RedisRateLimiter>();
            services.TryAddSingleton<IConcurrencyLimiter, RedisConcurrencyLimiter>();
            services.TryAddSingleton<ISessionStore, RedisSessionStore>();
            services.TryAddSingleton<ISessionEventLog, RedisSessionEventLog>();
            services.TryAddSingleton<IInvalidationBus, RedisInvalidationBus>();
        }
        else
        {
            services.TryAddSingleton<IRateLimiter, InProcessRateLimiter>();
            services.TryAddSingleton<IConcurrencyLimiter, InProcessConcurrencyLimiter>();
            services.TryAddSingleton<ISessionStore, InProcessSessionStore>();
            services.TryAddSingleton<ISessionEventLog, InProcessSessionEventLog>();
            services.TryAddSingleton<IInvalidationBus, InProcessInvalidationBus>();
            services.AddHostedService<SingleNodeModeNotice>();
        }

        return builder;
    }
}
