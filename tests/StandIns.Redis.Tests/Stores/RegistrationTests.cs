using McpPlatform.Redis.Tests.Infrastructure;
using McpPlatform.Stores.Concurrency;
using McpPlatform.Stores.Events;
using McpPlatform.Stores.Invalidation;
using McpPlatform.Stores.RateLimiting;
using McpPlatform.Stores.Sessions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace McpPlatform.Redis.Tests.Stores;

[Collection(RedisCollection.Name)]
public sealed class RegistrationTests(RedisFixture fixture)
{
    [Fact]
    public async Task WithRedisConnectionString_StoresAreRedisBackedAndReadinessChecksRedis()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration["ConnectionStrings:redis"] = fixture.Server.EndPoint;
        builder.Configuration["Stores:KeyPrefix"] = $"reg{Guid.NewGuid():N}:";
        builder.AddPlatformStores();
        using var host = builder.Build();
        await host.StartAsync();

        Assert.Equal("RedisRateLimiter", host.Services.GetRequiredService<IRateLimiter>().GetType().Name);
        Assert.Equal("RedisConcurrencyLimiter", host.Services.GetRequiredService<IConcurrencyLimiter>().GetType().Name);
        Assert.Equal("RedisSessionStore", host.Services.GetRequiredService<ISessionStore>().GetType().Name);
        Assert.Equal("RedisSessionEventLog", host.Services.GetRequiredService<ISessionEventLog>().GetType().Name);
        Assert.Equal("RedisInvalidationBus", host.Services.GetRequiredService<IInvalidationBus>().GetType().Name);
        Assert.True((await host.Services.GetRequiredService<IRateLimiter>().AcquireAsync("k", new RateLimitPolicy(1, 1))).Allowed);
        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(r => r.Tags.Contains("ready"));
        Assert.Equal(HealthStatus.Healthy, report.Entries["redis"].Status);
        await host.StopAsync();
    }

    [Fact]
    public async Task WithoutRedis_StoresAreInProcessAndOneLineSaysSingleNodeMode()
    {
        var logs = new CapturingLoggerProvider();
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.AddProvider(logs);
        builder.AddPlatformStores();
        using var host = builder.Build();
        await host.StartAsync();

        Assert.Equal("InProcessRateLimiter", host.Services.GetRequiredService<IRateLimiter>().GetType().Name);
        Assert.Equal("InProcessSessionStore", host.Services.GetRequiredService<ISessionStore>().GetType().Name);
        Assert.Equal("InProcessSessionEventLog", host.Services.GetRequiredService<ISessionEventLog>().GetType().Name);
        Assert.Single(logs.Messages, message => message.Contains("single-node mode", StringComparison.Ordinal));
        Assert.Null(host.Services.GetService<RedisMultiplexer>());
        await host.StopAsync();
    }

    [Fact]
    public async Task InvalidStoresSection_FailsAtStartListingEveryProblem()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration["Stores:KeyPrefix"] = "";
        builder.Configuration["Stores:EventLogMaxLength"] = "0";
        builder.AddPlatformStores();
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(error.Failures, f => f.Contains("KeyPrefix", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("EventLogMaxLength", StringComparison.Ordinal));
    }

    private sealed class CapturingLoggerProvider : ILoggerProvider
    {
        public List<string> Messages { get; } = [];

        public ILogger CreateLogger(string categoryName) => new Logger(this);

        public void Dispose()
        {
        }

        private sealed class Logger(CapturingLoggerProvider owner) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                lock (owner.Messages)
                {
                    owner.Messages.Add(formatter(state, exception));
                }
            }
        }
    }
}
