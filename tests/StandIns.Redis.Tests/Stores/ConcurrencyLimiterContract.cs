using System.Diagnostics;
using McpPlatform.Redis.Tests.Infrastructure;
using McpPlatform.Stores.Concurrency;

namespace McpPlatform.Redis.Tests.Stores;

public abstract class ConcurrencyLimiterContract : StoreContract
{
    [Fact]
    public async Task UpToTheLimit_LeasesAreGrantedThenRefusedUntilOneIsReleased()
    {
        var limiter = (await Backend.CreateReplicaAsync()).Concurrency;
        var key = NewKey();

        var first = await limiter.TryAcquireAsync(key, 2, TimeSpan.FromMinutes(1));
        var second = await limiter.TryAcquireAsync(key, 2, TimeSpan.FromMinutes(1));
        Assert.NotNull(first);
        Assert.NotNull(second);
        Assert.NotEqual(first.Id, second.Id);
        Assert.Null(await limiter.TryAcquireAsync(key, 2, TimeSpan.FromMinutes(1)));
        Assert.Equal(2, await limiter.CountAsync(key));

        await first.DisposeAsync();
        await first.DisposeAsync();

        Assert.Equal(1, await limiter.CountAsync(key));
        Assert.NotNull(await limiter.TryAcquireAsync(key, 2, TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public async Task ManyCallersOnSeveralReplicas_ExactlyTheLimitWin()
    {
        var replicas = new List<IConcurrencyLimiter>();
        for (var i = 0; i < 4; i++)
        {
            replicas.Add((await Backend.CreateReplicaAsync()).Concurrency);
        }

        var key = NewKey();
        var attempts = Enumerable.Range(0, 60).Select(i => Task.Run(async () =>
            await replicas[i % replicas.Count].TryAcquireAsync(key, 5, TimeSpan.FromMinutes(1))));
        var leases = await Task.WhenAll(attempts);

        Assert.Equal(5, leases.Count(lease => lease is not null));
        Assert.Equal(5, await replicas[0].CountAsync(key));
    }

    [Fact]
    public async Task CrashedHolder_ItsSlotIsReclaimedAfterTheLeaseTime()
    {
        var limiter = (await Backend.CreateReplicaAsync()).Concurrency;
        var key = NewKey();
        var lease = TimeSpan.FromMilliseconds(300);
        var clock = Stopwatch.StartNew();
        Assert.NotNull(await limiter.TryAcquireAsync(key, 1, lease));

        ConcurrencyLease? reclaimed = null;
        while (reclaimed is null && clock.Elapsed < TimeSpan.FromSeconds(5))
        {
            reclaimed = await limiter.TryAcquireAsync(key, 1, lease);
            if (reclaimed is null)
            {
                // Waiting for the lease time to pass is the behaviour under test.
                await Task.Delay(20);
            }
        }

        Assert.NotNull(reclaimed);
        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(290), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task RenewedLease_OutlivesItsLeaseTime()
    {
        var limiter = (await Backend.CreateReplicaAsync()).Concurrency;
        var key = NewKey();
        // A 2 s lease renewed every 400 ms for 2.8 s: it outlives its lease time, with room for a
        // loaded 2-core machine to stall a renewal by more than a second.
        var lease = await limiter.TryAcquireAsync(key, 1, TimeSpan.FromSeconds(2));
        Assert.NotNull(lease);

        for (var i = 0; i < 7; i++)
        {
            await Task.Delay(400);
            Assert.True(await limiter.RenewAsync(lease));
            Assert.Null(await limiter.TryAcquireAsync(key, 1, TimeSpan.FromSeconds(1)));
        }

        await limiter.ReleaseAsync(lease);
        Assert.False(await limiter.RenewAsync(lease));
        Assert.Equal(0, await limiter.CountAsync(key));
    }

    [Fact]
    public async Task BadArguments_AreRejected()
    {
        var limiter = (await Backend.CreateReplicaAsync()).Concurrency;

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await limiter.TryAcquireAsync("k", 0, TimeSpan.FromSeconds(1)));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await limiter.TryAcquireAsync("k", 1, TimeSpan.Zero));
        await Assert.ThrowsAsync<ArgumentException>(async () => await limiter.TryAcquireAsync("", 1, TimeSpan.FromSeconds(1)));
    }
}

[Collection(RedisCollection.Name)]
public sealed class RedisConcurrencyLimiterTests(RedisFixture fixture) : ConcurrencyLimiterContract
{
    protected override StoreBackend CreateBackend() => new RedisBackend(fixture, StoreBackend.DefaultOptions());
}

public sealed class InProcessConcurrencyLimiterTests : ConcurrencyLimiterContract
{
    protected override StoreBackend CreateBackend() => new InProcessBackend(StoreBackend.DefaultOptions());
}
