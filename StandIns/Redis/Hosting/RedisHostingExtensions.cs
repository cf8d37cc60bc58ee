using McpPlatform.Redis;
using McpPlatform.Redis.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Microsoft.Extensions.Hosting;

/// <summary>Registers the Redis client the way Aspire's <c>AddRedisClient</c> does.</summary>
public static class RedisHostingExtensions
{
    /// <summary>The readiness tag: <c>/health/ready</c> runs the checks that carry it.</summary>
    public const string ReadyTag = "ready";

    /// <summary>
    /// Registers a <see cref="RedisMultiplexer"/> singleton built from <c>ConnectionStrings:{connectionName}</c>
    /// (StackExchange.Redis format) and a health check named "redis" tagged "ready". The client connects in the
    /// background, so start-up never blocks on Redis; readiness reports unhealthy until it is connected.
    /// </summary>
    /// <param name="builder">The application builder.</param>
    /// <param name="connectionName">The connection-string name, e.g. "redis".</param>
    /// <param name="configure">Optional changes to the parsed options (certificate validation, timeouts).</param>
    /// <exception cref="InvalidOperationException">The connection string is missing.</exception>
    public static IHostApplicationBuilder AddRedisClient(this IHostApplicationBuilder builder, string connectionName, Action<RedisOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionName);
        var connectionString = builder.Configuration.GetConnectionString(connectionName);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException(
                $"ConnectionStrings:{connectionName} is not set. Set it (for example ConnectionStrings__{connectionName}=localhost:6379) or do not call AddRedisClient.");
        }

        var options = RedisOptions.Parse(connectionString);
        configure?.Invoke(options);
        builder.Services.AddSingleton(services => RedisMultiplexer.Create(options, services.GetService<ILoggerFactory>()));
        builder.Services.AddHealthChecks().AddCheck<RedisHealthCheck>("redis", tags: [ReadyTag], timeout: TimeSpan.FromSeconds(5));
        return builder;
    }
}
