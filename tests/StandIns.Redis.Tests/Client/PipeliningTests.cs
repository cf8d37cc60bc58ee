using McpPlatform.Redis.Tests.Infrastructure;

namespace McpPlatform.Redis.Tests.Client;

[Collection(RedisCollection.Name)]
public sealed class PipeliningTests(RedisFixture fixture)
{
    [Fact]
    public async Task HundredConcurrentCallers_EveryReplyReachesItsOwnCaller()
    {
        await using var redis = await fixture.ConnectAsync();
        var db = redis.GetDatabase();
        var prefix = RedisFixture.UniqueKey("pipe");
        const int callers = 100;
        const int rounds = 200;
        using var start = new SemaphoreSlim(0);

        var workers = Enumerable.Range(0, callers).Select(caller => Task.Run(async () =>
        {
            await start.WaitAsync();
            var key = $"{prefix}:{caller}";
            for (var round = 0; round < rounds; round++)
            {
                var value = $"{caller}/{round}";

                // Several commands in flight per caller, awaited out of order.
                var set = db.StringSetAsync(key, value);
                var echo = db.ExecuteAsync("ECHO", value);
                var length = db.ExecuteAsync("STRLEN", key);
                Assert.True(await set);
                Assert.Equal(value, (await echo).ToString());
                Assert.Equal(value.Length, (await length).ToInt64());
                Assert.Equal(value, (string?)await db.StringGetAsync(key));
            }
        })).ToArray();

        start.Release(callers);
        await Task.WhenAll(workers);
    }

    [Fact]
    public async Task CallersBlockingSynchronouslyInTheirContinuations_NeitherDeadlockNorStallOthers()
    {
        // Replies are completed in batches, continuations inline: a caller that blocks (sync over async, or on another
        // caller of the same batch) must only slow itself down, and the connection must keep serving everyone.
        await using var redis = await fixture.ConnectAsync(",syncTimeout=2000");
        var db = redis.GetDatabase();
        var key = RedisFixture.UniqueKey("block");
        await db.StringSetAsync(key, "v");
        using var gate = new ManualResetEventSlim();

        var waiter = Task.Run(async () =>
        {
            await db.StringGetAsync(key);
            gate.Wait(TimeSpan.FromSeconds(20));
            return gate.IsSet;
        });
        var setter = Task.Run(async () =>
        {
            await db.StringGetAsync(key);
            gate.Set();
        });
        var syncOverAsync = Task.Run(async () =>
        {
            await db.StringGetAsync(key);
            return (string?)db.StringGetAsync(key).AsTask().GetAwaiter().GetResult();
        });
        var others = Enumerable.Range(0, 20).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < 50; i++)
            {
                Assert.Equal("v", (string?)await db.StringGetAsync(key));
            }
        }));

        await Task.WhenAll(others).WaitAsync(TimeSpan.FromSeconds(20));
        await setter.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.True(await waiter.WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.Equal("v", await syncOverAsync.WaitAsync(TimeSpan.FromSeconds(20)));
    }

    [Fact]
    public async Task CancelledCommand_DoesNotShiftLaterReplies()
    {
        await using var redis = await fixture.ConnectAsync();
        var db = redis.GetDatabase();
        var key = RedisFixture.UniqueKey();
        await db.StringSetAsync(key, "kept");

        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await db.StringGetAsync(key, cancelled.Token));

        // A command cancelled while it waits for its reply: the reply still arrives and must be dropped, not handed on.
        using var midway = new CancellationTokenSource();
        var slow = db.ExecuteAsync("DEBUG", ["SLEEP", "0.2"], midway.Token);
        var after = db.StringGetAsync(key);
        await midway.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await slow);
        Assert.Equal("kept", (string?)await after);
        Assert.Equal("x", (await db.ExecuteAsync("ECHO", "x")).ToString());
    }

    [Fact]
    public async Task SlowServer_TimesOutWithAClearMessageAndStaysInStep()
    {
        await using var redis = await fixture.ConnectAsync(",syncTimeout=150");
        var db = redis.GetDatabase();

        var error = await Assert.ThrowsAsync<RedisTimeoutException>(async () => await db.ExecuteAsync("DEBUG", "SLEEP", "1.2"));
        Assert.Contains("did not answer DEBUG", error.Message, StringComparison.Ordinal);
        Assert.Contains("150 ms", error.Message, StringComparison.Ordinal);

        // The server is still asleep: ECHO may time out too, but whatever it gets must be its own reply, never DEBUG's late "OK".
        RedisResult? echo = null;
        for (var attempt = 0; echo is null && attempt < 20; attempt++)
        {
            try
            {
                echo = await db.ExecuteAsync("ECHO", "after");
            }
            catch (RedisTimeoutException)
            {
            }
        }

        Assert.Equal("after", echo?.ToString());
    }

    [Fact]
    public async Task CallersSendingFromTheirContinuations_ConnectionKilledMidRun_EveryCallEndsAndTheClientRecovers()
    {
        // The benchmark's pattern (each caller sends its next command from its continuation, so reply batches write
        // inline): a connection killed mid-run must strand no command, whether it was queued, being written or in flight.
        await using var redis = await fixture.ConnectAsync(",syncTimeout=5000");
        await using var admin = await fixture.ConnectAsync();
        var db = redis.GetDatabase();
        var prefix = RedisFixture.UniqueKey("kill");
        var clientId = (await db.ExecuteAsync("CLIENT", "ID")).ToInt64();
        var restored = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        redis.ConnectionRestored += (_, _) => restored.TrySetResult();
        var halfway = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        const int callers = 50;
        const int rounds = 400;
        var done = 0;
        var lostIncrements = 0;

        var workers = Enumerable.Range(0, callers).Select(caller => Task.Run(async () =>
        {
            var key = $"{prefix}:{caller}";
            for (var round = 0; round < rounds; round++)
            {
                // Plain SET and GET are retried after a connection failure; INCR may fail, and only as a connection error.
                var value = $"{caller}/{round}";
                Assert.True(await db.StringSetAsync(key, value));
                Assert.Equal(value, (string?)await db.StringGetAsync(key));
                try
                {
                    await db.StringIncrementAsync(key + ":n");
                }
                catch (RedisConnectionException)
                {
                    Interlocked.Increment(ref lostIncrements);
                }

                if (Interlocked.Increment(ref done) == callers * rounds / 2)
                {
                    halfway.TrySetResult();
                }
            }
        })).ToArray();

        await halfway.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await admin.GetDatabase().ExecuteAsync("CLIENT", "KILL", "ID", clientId);
        await Task.WhenAll(workers).WaitAsync(TimeSpan.FromSeconds(30));

        await restored.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(callers * rounds, done);
        var counted = 0L;
        for (var caller = 0; caller < callers; caller++)
        {
            counted += (await db.ExecuteAsync("GET", $"{prefix}:{caller}:n")).ToInt64();
        }

        // A failed INCR may or may not have run; every one that succeeded did.
        Assert.InRange(counted, callers * rounds - lostIncrements, callers * rounds);
    }
}
