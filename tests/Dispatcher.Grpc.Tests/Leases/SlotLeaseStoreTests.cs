using McpPlatform.Dispatcher.Grpc.Leases;
using McpPlatform.Dispatcher.Grpc.Tests.Infrastructure;
using McpPlatform.Redis;
using McpPlatform.Stores;

namespace McpPlatform.Dispatcher.Grpc.Tests.Leases;

/// <summary>The same contract for the Redis store and its in-process twin.</summary>
public sealed class SlotLeaseStoreTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AcquireAny_FillsSlotsInOrderUpToTheLimit_ThenReportsFull(bool useRedis)
    {
        await using var store = await StoreAsync(useRedis);
        string[] slots = ["w:echo/0", "w:echo/1"];

        var places = new List<int>();
        for (var i = 0; i < 5; i++)
        {
            places.Add(await store.Store.TryAcquireAnyAsync(slots, 2, "t" + i, TimeSpan.FromMinutes(1), CancellationToken.None));
        }

        Assert.Equal([0, 0, 1, 1, -1], places);
        Assert.Equal(2, await store.Store.CountAsync("w:echo/1", CancellationToken.None));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ReleaseRenewDrop_BehaveAlike(bool useRedis)
    {
        await using var store = await StoreAsync(useRedis);
        string[] slot = ["w:echo/0"];
        await store.Store.TryAcquireAnyAsync(slot, 1, "a", TimeSpan.FromMinutes(1), CancellationToken.None);

        Assert.True(await store.Store.RenewAsync("w:echo/0", "a", TimeSpan.FromMinutes(1), CancellationToken.None));
        Assert.False(await store.Store.RenewAsync("w:echo/0", "b", TimeSpan.FromMinutes(1), CancellationToken.None));
        Assert.True(await store.Store.ReleaseAsync("w:echo/0", "a", CancellationToken.None));
        Assert.False(await store.Store.ReleaseAsync("w:echo/0", "a", CancellationToken.None));
        Assert.Equal(0, await store.Store.TryAcquireAnyAsync(slot, 1, "b", TimeSpan.FromMinutes(1), CancellationToken.None));
        await store.Store.DropAsync(slot, CancellationToken.None);
        Assert.Equal(0, await store.Store.CountAsync("w:echo/0", CancellationToken.None));
        Assert.False(await store.Store.RenewAsync("w:echo/0", "b", TimeSpan.FromMinutes(1), CancellationToken.None));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ExpiredLease_FreesItsPlace(bool useRedis)
    {
        await using var store = await StoreAsync(useRedis);
        string[] slot = ["w:echo/0"];
        await store.Store.TryAcquireAnyAsync(slot, 1, "short", TimeSpan.FromMilliseconds(50), CancellationToken.None);

        await DispatcherUnderTest.EventuallyAsync(async () => await store.Store.CountAsync("w:echo/0", CancellationToken.None) == 0, "the lease expires");

        Assert.Equal(0, await store.Store.TryAcquireAnyAsync(slot, 1, "next", TimeSpan.FromMinutes(1), CancellationToken.None));
        Assert.False(await store.Store.RenewAsync("w:echo/0", "short", TimeSpan.FromMinutes(1), CancellationToken.None));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AcquireWithPlan_TakesBothPlacesOrNeither(bool useRedis)
    {
        await using var store = await StoreAsync(useRedis);
        const string plan = "plan|pro|t1";
        string[] slot = ["w:echo/0"];
        var ttl = TimeSpan.FromMinutes(1);

        Assert.Equal(0, await store.Store.TryAcquireAsync(plan, 2, slot, 1, "a", ttl, CancellationToken.None));
        Assert.Equal(ISlotLeaseStore.SlotsFull, await store.Store.TryAcquireAsync(plan, 2, slot, 1, "b", ttl, CancellationToken.None));
        Assert.Equal(1, await store.Store.CountAsync(plan, CancellationToken.None));

        Assert.Equal(0, await store.Store.TryAcquireAsync(plan, 2, ["w:echo/1"], 1, "c", ttl, CancellationToken.None));
        Assert.Equal(ISlotLeaseStore.PlanFull, await store.Store.TryAcquireAsync(plan, 2, ["w:echo/2"], 1, "d", ttl, CancellationToken.None));
        Assert.Equal(0, await store.Store.CountAsync("w:echo/2", CancellationToken.None));

        Assert.True(await store.Store.ReleaseAsync(plan, "a", CancellationToken.None));
        Assert.True(await store.Store.ReleaseAsync("w:echo/0", "a", CancellationToken.None));
        Assert.Equal(0, await store.Store.TryAcquireAsync(plan, 2, ["w:echo/2"], 1, "d", ttl, CancellationToken.None));
        Assert.Equal(2, await store.Store.CountAsync(plan, CancellationToken.None));
    }

    private static async Task<StoreUnderTest> StoreAsync(bool useRedis)
    {
        if (!useRedis)
        {
            return new StoreUnderTest(new InProcessSlotLeaseStore(TimeProvider.System), null, null);
        }

        var redis = await RedisServer.StartAsync();
        var multiplexer = await RedisMultiplexer.ConnectAsync(redis.ConnectionString);
        return new StoreUnderTest(new RedisSlotLeaseStore(multiplexer, Microsoft.Extensions.Options.Options.Create(new StoreOptions { KeyPrefix = "t:" })), multiplexer, redis);
    }

    private sealed record StoreUnderTest(ISlotLeaseStore Store, RedisMultiplexer? Multiplexer, RedisServer? Server) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            if (Multiplexer is not null)
            {
                await Multiplexer.DisposeAsync();
            }

            if (Server is not null)
            {
                await Server.DisposeAsync();
            }
        }
    }
}
