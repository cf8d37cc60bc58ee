using System.Diagnostics;
using McpPlatform.Redis.Tests.Infrastructure;
using McpPlatform.Stores.RateLimiting;

namespace McpPlatform.Redis.Tests.Stores;

public abstract class RateLimiterContract : StoreContract
{
    [Fact]
    public async Task FullBucket_AllowsTheBurstThenDeniesWithRetryAfter()
    {
        var limiter = (await Backend.CreateReplicaAsync()).RateLimiter;
        var policy = new RateLimitPolicy(permitsPerSecond: 1, burst: 5);
        var key = NewKey();

        for (var i = 0; i < 5; i++)
        {
            var decision = await limiter.AcquireAsync(key, policy);
            Assert.True(decision.Allowed);
            Assert.Equal(4 - i, decision.Remaining);
            Assert.Equal(TimeSpan.Zero, decision.RetryAfter);
        }

        var denied = await limiter.AcquireAsync(key, policy);
        Assert.False(denied.Allowed);
        Assert.Equal(0, denied.Remaining);
        Assert.InRange(denied.RetryAfter, TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task AfterRetryAfter_TheRequestIsAllowed()
    {
        var limiter = (await Backend.CreateReplicaAsync()).RateLimiter;
        var policy = new RateLimitPolicy(permitsPerSecond: 20, burst: 1);
        var key = NewKey();
        Assert.True((await limiter.AcquireAsync(key, policy)).Allowed);
        var denied = await limiter.AcquireAsync(key, policy);
        Assert.False(denied.Allowed);

        // The limiter is a function of time: let the time it named pass.
        await Task.Delay(denied.RetryAfter + TimeSpan.FromMilliseconds(15));

        Assert.True((await limiter.AcquireAsync(key, policy)).Allowed);
    }

    [Fact]
    public async Task SeveralPermits_CountAgainstTheBurst()
    {
        var limiter = (await Backend.CreateReplicaAsync()).RateLimiter;
        var policy = new RateLimitPolicy(permitsPerSecond: 1, burst: 10);
        var key = NewKey();

        Assert.True((await limiter.AcquireAsync(key, policy, permits: 7)).Allowed);
        var denied = await limiter.AcquireAsync(key, policy, permits: 4);
        Assert.False(denied.Allowed);
        Assert.Equal(3, denied.Remaining);
        Assert.True((await limiter.AcquireAsync(key, policy, permits: 3)).Allowed);
    }

    [Fact]
    public async Task Keys_AreLimitedIndependently()
    {
        var limiter = (await Backend.CreateReplicaAsync()).RateLimiter;
        var policy = new RateLimitPolicy(permitsPerSecond: 1, burst: 1);
        var (a, b) = (NewKey(), NewKey());

        Assert.True((await limiter.AcquireAsync(a, policy)).Allowed);
        Assert.False((await limiter.AcquireAsync(a, policy)).Allowed);
        Assert.True((await limiter.AcquireAsync(b, policy)).Allowed);
    }

    [Fact]
    public async Task BadArguments_AreRejected()
    {
        var limiter = (await Backend.CreateReplicaAsync()).RateLimiter;
        var policy = new RateLimitPolicy(1, 2);

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await limiter.AcquireAsync("k", policy, permits: 3));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await limiter.AcquireAsync("k", policy, permits: 0));
        await Assert.ThrowsAsync<ArgumentException>(async () => await limiter.AcquireAsync("", policy));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RateLimitPolicy(0, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RateLimitPolicy(double.NaN, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RateLimitPolicy(1, 0));
    }

    [Fact]
    public async Task FourReplicasCompeting_AllowedCountIsWithinOneOfTheIdeal()
    {
        var replicas = new List<IRateLimiter>();
        // A slow rate keeps the result insensitive to scheduling noise on a busy 2-core machine (25 ms = 1/4 permit).
        var policy = new RateLimitPolicy(permitsPerSecond: 10, burst: 5);
        for (var i = 0; i < 4; i++)
        {
            var limiter = (await Backend.CreateReplicaAsync()).RateLimiter;
            await limiter.AcquireAsync(NewKey(), policy);
            replicas.Add(limiter);
        }

        var key = NewKey();
        var window = TimeSpan.FromSeconds(2);
        var allowed = 0;
        long firstSent = long.MaxValue, lastSent = 0;
        using var go = new SemaphoreSlim(0);
        var clock = Stopwatch.StartNew();

        var workers = replicas.Select(limiter => Task.Run(async () =>
        {
            await go.WaitAsync();
            while (true)
            {
                var sent = clock.Elapsed.Ticks;
                if (sent >= window.Ticks)
                {
                    return;
                }

                InterlockedMin(ref firstSent, sent);
                InterlockedMax(ref lastSent, sent);
                if ((await limiter.AcquireAsync(key, policy)).Allowed)
                {
                    Interlocked.Increment(ref allowed);
                }
            }
        })).ToArray();

        go.Release(replicas.Count);
        await Task.WhenAll(workers);

        // GCRA grants the burst at once, then one permit every 1/rate: B + R·T between the first and last request.
        var span = TimeSpan.FromTicks(lastSent - firstSent);
        var ideal = policy.Burst + (policy.PermitsPerSecond * span.TotalSeconds);
        Assert.True(span > window * 0.8, $"the load ran for {span.TotalMilliseconds:0} ms only");
        Assert.InRange(allowed, ideal - 1, ideal + 1);
    }

    private static void InterlockedMin(ref long target, long value)
    {
        for (var current = Volatile.Read(ref target); value < current; current = Volatile.Read(ref target))
        {
            if (Interlocked.CompareExchange(ref target, value, current) == current)
            {
                return;
            }
        }
    }

    private static void InterlockedMax(ref long target, long value)
    {
        for (var current = Volatile.Read(ref target); value > current; current = Volatile.Read(ref target))
        {
            if (Interlocked.CompareExchange(ref target, value, current) == current)
            {
                return;
            }
        }
    }
}

[Collection(RedisCollection.Name)]
public sealed class RedisRateLimiterTests(RedisFixture fixture) : RateLimiterContract
{
    protected override StoreBackend CreateBackend() => new RedisBackend(fixture, StoreBackend.DefaultOptions());
}

public sealed class InProcessRateLimiterTests : RateLimiterContract
{
    protected override StoreBackend CreateBackend() => new InProcessBackend(StoreBackend.DefaultOptions());
}
