using System.Collections.Concurrent;
using McpPlatform.Redis.Tests.Infrastructure;

namespace McpPlatform.Redis.Tests.Client;

[Collection(RedisCollection.Name)]
public sealed class ReconnectTests(RedisFixture fixture)
{
    [Fact]
    public async Task ServerRestartedMidLoad_CallersGetClearErrorsThenRecoverOnTheSameClient()
    {
        await using var server = await RedisServer.StartAsync();
        await using var redis = await RedisMultiplexer.ConnectAsync($"{server.EndPoint},abortConnect=false,syncTimeout=1000");
        var db = redis.GetDatabase();
        const int callers = 20;
        var successes = 0;
        var epoch = 0;
        var errors = new ConcurrentBag<Exception>();
        var recovered = new ConcurrentDictionary<int, bool>();
        var warmedUp = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var firstError = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var allRecovered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(40));

        var workers = Enumerable.Range(0, callers).Select(caller => Task.Run(async () =>
        {
            for (var round = 0; !stop.IsCancellationRequested && !allRecovered.Task.IsCompleted; round++)
            {
                var key = $"restart:{caller}";
                var value = $"{caller}/{round}";
                var before = Volatile.Read(ref epoch);
                try
                {
                    await db.StringIncrementAsync(key + ":n");
                    await db.StringSetAsync(key, value);
                    var back = (string?)await db.StringGetAsync(key);

                    // The restarted server starts empty, so a value may vanish across the restart, but a reply
                    // never belongs to another caller.
                    if (before == Volatile.Read(ref epoch))
                    {
                        Assert.Equal(value, back);
                    }
                    else
                    {
                        Assert.True(back is null || back == value, $"caller {caller} got '{back}' for '{value}'");
                    }

                    if (Interlocked.Increment(ref successes) == 500)
                    {
                        warmedUp.TrySetResult();
                    }

                    if (before == 2 && recovered.TryAdd(caller, true) && recovered.Count == callers)
                    {
                        allRecovered.TrySetResult();
                    }
                }
                catch (Exception exception) when (exception is RedisConnectionException or RedisTimeoutException)
                {
                    errors.Add(exception);
                    firstError.TrySetResult();
                }
            }
        })).ToArray();

        await warmedUp.Task.WaitAsync(TimeSpan.FromSeconds(20));
        Interlocked.Increment(ref epoch);
        await server.StopAsync();
        await firstError.Task.WaitAsync(TimeSpan.FromSeconds(20));
        await server.StartAgainAsync();
        Interlocked.Increment(ref epoch);
        await allRecovered.Task.WaitAsync(TimeSpan.FromSeconds(20));
        await stop.CancelAsync();
        await Task.WhenAll(workers);

        Assert.NotEmpty(errors);
        Assert.All(errors, error => Assert.Contains(server.EndPoint, error.Message, StringComparison.Ordinal));
        Assert.True(redis.IsConnected);
        Assert.Equal("PONG", (await db.ExecuteAsync("PING")).ToString());
    }

    [Fact]
    public async Task ConnectionKilledWithCommandsInFlight_NonIdempotentFailsIdempotentIsRetried()
    {
        await using var redis = await fixture.ConnectAsync(",syncTimeout=5000");
        await using var admin = await fixture.ConnectAsync();
        var db = redis.GetDatabase();
        var key = RedisFixture.UniqueKey();
        await db.StringSetAsync(key, "value");
        var clientId = (await db.ExecuteAsync("CLIENT", "ID")).ToInt64();
        var restored = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        redis.ConnectionRestored += (_, _) => restored.TrySetResult();

        // BLPOP holds the shared connection (the test does this on purpose) so the GET behind it is surely in flight.
        var blocking = db.ExecuteAsync("BLPOP", RedisFixture.UniqueKey("list"), "4");
        var get = db.StringGetAsync(key);
        await WaitUntilBlockedAsync(admin, clientId);
        await admin.GetDatabase().ExecuteAsync("CLIENT", "KILL", "ID", clientId);

        var error = await Assert.ThrowsAsync<RedisConnectionException>(async () => await blocking);
        Assert.Contains("BLPOP", error.Message, StringComparison.Ordinal);
        Assert.Contains("not retried because it is not idempotent", error.Message, StringComparison.Ordinal);
        Assert.Equal("value", (string?)await get);
        await restored.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("value", (string?)await db.StringGetAsync(key));
    }

    [Fact]
    public async Task UnreachableServer_ConnectFailsWithTheEndpointInTheMessage()
    {
        var error = await Assert.ThrowsAsync<RedisConnectionException>(() =>
            RedisMultiplexer.ConnectAsync("127.0.0.1:1,connectRetry=2,connectTimeout=500"));

        Assert.Contains("127.0.0.1:1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServerDownWithAbortConnectFalse_CommandsTimeOutNamingTheCause()
    {
        await using var redis = await RedisMultiplexer.ConnectAsync("127.0.0.1:1,abortConnect=false,syncTimeout=200,connectTimeout=200");

        var error = await Assert.ThrowsAsync<RedisTimeoutException>(async () => await redis.GetDatabase().StringGetAsync("x"));

        Assert.Contains("connection is down", error.Message, StringComparison.Ordinal);
        Assert.False(redis.IsConnected);
    }

    [Fact]
    public async Task DisposedClient_FailsCommandsWithObjectDisposed()
    {
        var redis = await fixture.ConnectAsync();
        var db = redis.GetDatabase();
        await redis.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await db.StringGetAsync("x"));
        Assert.Throws<ObjectDisposedException>(() => redis.GetDatabase());
    }

    private static async Task WaitUntilBlockedAsync(RedisMultiplexer admin, long clientId)
    {
        // Poll the server's own view until the client is parked in BLPOP (an external state, nothing to await).
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var list = (await admin.GetDatabase().ExecuteAsync("CLIENT", "LIST", "ID", clientId)).ToString();
            if (list.Contains("cmd=blpop", StringComparison.Ordinal))
            {
                return;
            }

            await Task.Delay(10);
        }

        throw new TimeoutException("The client never reached BLPOP.");
    }
}
