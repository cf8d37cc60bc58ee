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

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ReserveBlock_TakesThePlacesThatAreFree_RenewsAndReturnsThem(bool useRedis)
    {
        await using var store = await StoreAsync(useRedis);
        string[] slots = ["w:echo/0", "w:echo/1"];
        var ttl = TimeSpan.FromMinutes(1);

        var first = await store.Store.ReserveBlockAsync(new BlockRequest(null, 0, 0, slots, 2, 3, "b1", ttl), CancellationToken.None);
        var second = await store.Store.ReserveBlockAsync(new BlockRequest(null, 0, 0, slots, 2, 5, "b2", ttl), CancellationToken.None);
        var full = await store.Store.ReserveBlockAsync(new BlockRequest(null, 0, 0, slots, 2, 1, "b3", ttl), CancellationToken.None);
        var renewed = await store.Store.RenewPlacesAsync([new("w:echo/0", "b1:1"), new("w:echo/1", "b2:1"), new("w:echo/1", "b3:1")], ttl, CancellationToken.None);
        await store.Store.ReturnPlacesAsync([new("w:echo/0", "b1:1"), new("w:echo/0", "b1:2"), new("w:echo/0", "gone")], CancellationToken.None);

        Assert.Equal([(0, new StorePlace("w:echo/0", "b1:1")), (0, new StorePlace("w:echo/0", "b1:2")), (1, new StorePlace("w:echo/1", "b1:3"))], first.SlotPlaces);
        Assert.Equal([(1, new StorePlace("w:echo/1", "b2:1"))], second.SlotPlaces);
        Assert.Empty(full.SlotPlaces);
        Assert.False(full.PlanFull);
        Assert.Equal([true, true, false], renewed);
        Assert.Equal(0, await store.Store.CountAsync("w:echo/0", CancellationToken.None));
        Assert.Equal(2, await store.Store.CountAsync("w:echo/1", CancellationToken.None));
        Assert.Equal(0, await store.Store.TryAcquireAnyAsync(slots, 2, "single", ttl, CancellationToken.None));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ReserveBlockWithPlan_TakesPlanPlacesOnlyWithSlotPlaces_AndNeverBeyondTheLimit(bool useRedis)
    {
        await using var store = await StoreAsync(useRedis);
        const string plan = "plan|pro|t1";
        var ttl = TimeSpan.FromMinutes(1);
        await store.Store.TryAcquireAnyAsync(["w:echo/0"], 1, "holder", ttl, CancellationToken.None);

        var slotsFull = await store.Store.ReserveBlockAsync(new BlockRequest(plan, 2, 1, ["w:echo/0"], 1, 1, "b1", ttl), CancellationToken.None);
        var planOnly = await store.Store.ReserveBlockAsync(new BlockRequest(plan, 2, 1, [], 1, 0, "b2", ttl), CancellationToken.None);
        var capped = await store.Store.ReserveBlockAsync(new BlockRequest(plan, 2, 3, ["w:echo/1"], 4, 4, "b3", ttl), CancellationToken.None);
        var planFull = await store.Store.ReserveBlockAsync(new BlockRequest(plan, 2, 1, ["w:echo/2"], 4, 4, "b4", ttl), CancellationToken.None);

        Assert.Empty(slotsFull.PlanPlaces);
        Assert.Empty(slotsFull.SlotPlaces);
        Assert.Equal([new StorePlace(plan, "b2:p1")], planOnly.PlanPlaces);
        Assert.Equal([new StorePlace(plan, "b3:p1")], capped.PlanPlaces);
        Assert.Equal(4, capped.SlotPlaces.Count);
        Assert.True(planFull.PlanFull);
        Assert.Equal(2, await store.Store.CountAsync(plan, CancellationToken.None));
        Assert.Equal(0, await store.Store.CountAsync("w:echo/2", CancellationToken.None));
        Assert.Equal(ISlotLeaseStore.PlanFull, await store.Store.TryAcquireAsync(plan, 2, ["w:echo/3"], 1, "single", ttl, CancellationToken.None));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task BlockPlacesNotRenewed_Lapse(bool useRedis)
    {
        await using var store = await StoreAsync(useRedis);
        await store.Store.ReserveBlockAsync(new BlockRequest(null, 0, 0, ["w:echo/0"], 4, 4, "b1", TimeSpan.FromMilliseconds(50)), CancellationToken.None);

        await DispatcherUnderTest.EventuallyAsync(async () => await store.Store.CountAsync("w:echo/0", CancellationToken.None) == 0, "the block lapses");

        Assert.Equal([false], await store.Store.RenewPlacesAsync([new("w:echo/0", "b1:1")], TimeSpan.FromMinutes(1), CancellationToken.None));
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
