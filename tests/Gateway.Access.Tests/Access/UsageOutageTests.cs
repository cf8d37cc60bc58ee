using System.Diagnostics;
using System.Net;
using McpPlatform.Gateway.Access.Tests.Infrastructure;
using Npgsql;

namespace McpPlatform.Gateway.Access.Tests.Access;

/// <summary>The long test (about 2.5 minutes): servers of its own, so stopping PostgreSQL disturbs no other test.</summary>
public sealed class UsageOutageTests : IAsyncLifetime
{
    private static readonly TimeSpan Outage = TimeSpan.FromMinutes(2);
    private readonly AccessPlatform _platform = new();

    public Task InitializeAsync() => _platform.StartAsync();

    public Task DisposeAsync() => _platform.DisposeAsync();

    [Fact]
    public async Task Usage_SurvivesATwoMinutePostgresOutage_WithExactCounts()
    {
        await using var gateway = await GatewayHost.StartAsync(_platform.AccessGrpc, _platform.Redis, new Dictionary<string, string?>
        {
            ["Gateway:Access:Usage:MaxRetryDelay"] = "00:00:02",
        });
        var key = await _platform.Data.NewKeyAsync();
        var calls = 0;

        async Task CallAsync()
        {
            using var response = await gateway.CallAsync("echo", key.Secret, "tools/call", "echo");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            calls++;
        }

        for (var i = 0; i < 3; i++)
        {
            await CallAsync();
        }

        await Eventually.UntilAsync(async () => await _platform.Data.UsageCountAsync(key.UserId) == 3, "the first 3 events stored");

        await using (var outage = await PostgresOutage.BeginAsync(_platform.PostgresPid))
        {
            // Calls all through the outage: the key answer stays cached (and, past its TTL, served while Access.Api
            // cannot answer); the events wait in the Redis stream while the drainer's RecordUsage calls fail.
            var down = Stopwatch.StartNew();
            using var tick = new PeriodicTimer(TimeSpan.FromSeconds(4));
            while (down.Elapsed < Outage)
            {
                await CallAsync();
                await CallAsync();
                await tick.WaitForNextTickAsync();
            }

            await Assert.ThrowsAnyAsync<NpgsqlException>(() => _platform.Data.UsageCountAsync(key.UserId));
            await outage.EndAsync();
            await Eventually.UntilAsync(async () =>
            {
                try
                {
                    return await _platform.Data.UsageCountAsync(key.UserId) == calls;
                }
                catch (NpgsqlException)
                {
                    return false;
                }
            }, $"all {calls} events stored after the outage", TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(500));

            // Nothing more arrives later (no event counted twice), and the buffer is empty.
            await CallAsync();
            await Eventually.UntilAsync(async () => await _platform.Data.UsageCountAsync(key.UserId) == calls, "the next event stored");
            Assert.Equal(calls, await _platform.Data.UsageCountAsync(key.UserId, "tools/call"));
            NpgsqlConnection.ClearAllPools();
        }
    }
}
