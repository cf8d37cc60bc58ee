using McpPlatform.Redis.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace McpPlatform.Redis.Tests.Client;

[Collection(RedisCollection.Name)]
public sealed class HostingTests(RedisFixture fixture)
{
    [Fact]
    public async Task AddRedisClient_RegistersTheClientAndAReadyHealthCheck()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration["ConnectionStrings:redis"] = fixture.Server.EndPoint + ",abortConnect=false";
        builder.AddRedisClient("redis");
        using var host = builder.Build();

        var redis = host.Services.GetRequiredService<RedisMultiplexer>();
        Assert.Same(redis, host.Services.GetRequiredService<RedisMultiplexer>());
        Assert.Equal("PONG", (await redis.GetDatabase().ExecuteAsync("PING")).ToString());

        var health = host.Services.GetRequiredService<HealthCheckService>();
        var report = await health.CheckHealthAsync(registration => registration.Tags.Contains("ready"));
        Assert.Equal(HealthStatus.Healthy, report.Status);
        Assert.Contains("redis", report.Entries.Keys);
    }

    [Fact]
    public async Task AddRedisClient_UnreachableServer_ReportsNotReady()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration["ConnectionStrings:redis"] = "127.0.0.1:1,abortConnect=false,connectTimeout=200";
        builder.AddRedisClient("redis");
        using var host = builder.Build();

        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(r => r.Tags.Contains("ready"));

        Assert.Equal(HealthStatus.Unhealthy, report.Status);
        Assert.Contains("127.0.0.1:1", report.Entries["redis"].Description, StringComparison.Ordinal);
    }

    [Fact]
    public void AddRedisClient_MissingConnectionString_ThrowsWithTheSettingName()
    {
        var builder = Host.CreateApplicationBuilder();

        var error = Assert.Throws<InvalidOperationException>(() => builder.AddRedisClient("redis"));

        Assert.Contains("ConnectionStrings:redis", error.Message, StringComparison.Ordinal);
    }
}
