using System.Globalization;
using McpPlatform.Hosting;
using McpPlatform.Hosting.Testing;
using McpPlatform.Redis;
using McpPlatform.TestSupport;

namespace McpPlatform.Gateway.Access.Tests.Infrastructure;

/// <summary>
/// A Redis of its own for the limiter tests (no Access.Api, nothing else using it), so its script-call count
/// (<c>INFO commandstats</c>) is the limiter's alone.
/// </summary>
public sealed class LimitsRedis : IAsyncLifetime
{
    private DistributedApplication? _app;
    private string? _state;
    private RedisMultiplexer? _client;

    public string ConnectionString { get; private set; } = "";

    public RedisDatabase Db => _client!.GetDatabase();

    public async Task InitializeAsync()
    {
        _state = DistributedApplicationTestingBuilder.NewStateDirectory();
        var builder = DistributedApplicationTestingBuilder.Create(typeof(LimitsRedis).Assembly, stateDirectory: _state);
        builder.AddRedis("redis");
        _app = builder.Build();
        await _app.StartAsync();
        ConnectionString = _app.GetConnectionString("redis") ?? throw new InvalidOperationException("These tests need redis-server (apt-get install redis-server).");
        _client = await RedisMultiplexer.ConnectAsync(ConnectionString);
    }

    public async Task DisposeAsync()
    {
        if (_client is not null)
        {
            await _client.DisposeAsync();
        }

        await StartedApplication.StopAsync(_app, _state);
    }

    /// <summary>Scripts Redis has run so far (EVALSHA and EVAL, from <c>INFO commandstats</c>).</summary>
    public async Task<long> ScriptCallsAsync()
    {
        var info = (await Db.ExecuteAsync("INFO", "commandstats")).ToString();
        long calls = 0;
        foreach (var line in info.Split('\n', StringSplitOptions.TrimEntries))
        {
            if (line.StartsWith("cmdstat_evalsha:", StringComparison.Ordinal) || line.StartsWith("cmdstat_eval:", StringComparison.Ordinal))
            {
                var value = line.Split(':')[1].Split(',')[0]; // calls=N
                calls += long.Parse(value["calls=".Length..], CultureInfo.InvariantCulture);
            }
        }

        return calls;
    }

    /// <summary>The monthly counter of <paramref name="userId"/> (0 when absent).</summary>
    public async Task<long> QuotaUsedAsync(string userId)
    {
        var month = DateTime.UtcNow.ToString("yyyy-MM", CultureInfo.InvariantCulture);
        var value = await Db.StringGetAsync($"mcp:quota:user:{userId}:{month}");
        return value.IsNull ? 0 : (long)value;
    }
}

[CollectionDefinition(Name)]
public sealed class LimitsRedisCollection : ICollectionFixture<LimitsRedis>
{
    public const string Name = "Limits Redis";
}
