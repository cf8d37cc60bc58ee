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
        var policy = new RateLimitPolicy(permitsPerSecond: 0.2, burst: 5);
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
        Assert.InRange(denied.RetryAfter, TimeSpan.FromSeconds(2.5), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task AfterRetryAfter_TheRequestIsAllowed()
    {
        var limiter = (await Backend.CreateReplicaAsync()).RateLimiter;
        var policy = new RateLimitPolicy(permitsPerSecond: 2, burst: 1);
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
        var policy = new RateLimitPolicy(permitsPerSecond: 0.1, burst: 10);
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
        var policy = new RateLimitPolicy(permitsPerSecond: 0.1, burst: 1);
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
        // A slow rate keeps the result insensitive to scheduling noise (25 ms = a quarter of a permit).
        var policy = new RateLimitPolicy(permitsPerSecond: 10, burst: 5);
        var replicas = new List<IRateLimiter>();
        for (var i = 0; i < 4; i++)
        {
            var limiter = (await Backend.CreateReplicaAsync()).RateLimiter;
            await limiter.AcquireAsync(NewKey(), policy);
            replicas.Add(limiter);
        }

        var key = NewKey();
        var window = TimeSpan.FromSeconds(2);
        var allowed = 0;
        var requests = new List<(long Sent, long Received)>[replicas.Count];
        using var go = new SemaphoreSlim(0);
        var clock = Stopwatch.StartNew();

        var workers = replicas.Select((limiter, index) => Task.Run(async () =>
        {
            var mine = requests[index] = [];
            await go.WaitAsync();
            while (clock.Elapsed < window)
            {
                var sent = clock.Elapsed.Ticks;
                var decision = await limiter.AcquireAsync(key, policy);
                mine.Add((sent, clock.Elapsed.Ticks));
                if (decision.Allowed)
                {
                    Interlocked.Increment(ref allowed);
                }
                else
                {
                    // Pacing, not synchronisation: a permit comes every 100 ms; polling every millisecond keeps the
                    // pressure on without four spinning threads starving a 2-core machine.
                    await Task.Delay(1);
                }
            }
        })).ToArray();

        go.Release(replicas.Count);
        await Task.WhenAll(workers);

        // GCRA grants the burst at once, then one permit every 1/rate: B + R·T, T running from the first decision to
        // the last. The limiter's own instants are only known to lie between a request's send and its reply, so T is
        // bracketed; on an idle machine the bracket is a few milliseconds wide and the bounds are the ideal ± 1.
        var all = requests.SelectMany(list => list).OrderBy(r => r.Sent).ToList();
        var first = all[0];
        var longest = TimeSpan.FromTicks(all.Max(r => r.Received) - first.Sent);
        var shortest = TimeSpan.FromTicks(all.Max(r => r.Sent) - first.Received);
        var ideal = policy.Burst + (policy.PermitsPerSecond * (longest + shortest).TotalSeconds / 2);
        var upper = policy.Burst + (policy.PermitsPerSecond * longest.TotalSeconds) + 1;
        var lower = policy.Burst + (policy.PermitsPerSecond * shortest.TotalSeconds) - 1;
        var description = $"allowed {allowed}, ideal {ideal:0.00}, bounds [{lower:0.00}, {upper:0.00}]";

        // Never more than the limit allows, whatever the scheduling.
        Assert.True(allowed <= upper, description);

        // Permits can only be lost to a pause in the pressure longer than the burst covers (B/R): on a machine so busy
        // that every client stalled that long, "fewer" says nothing about the limiter.
        var longestPause = all.Zip(all.Skip(1), (a, b) => b.Sent - a.Sent).DefaultIfEmpty().Max();
        if (TimeSpan.FromTicks(longestPause) < TimeSpan.FromSeconds(policy.Burst / policy.PermitsPerSecond))
        {
            Assert.True(allowed >= lower, description);
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
