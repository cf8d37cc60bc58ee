using McpPlatform.Dispatcher.Grpc.Tests.Infrastructure;

namespace McpPlatform.Dispatcher.Grpc.Tests;

public sealed class CachingTests
{
    [Fact]
    public async Task ToolsList_IsServedFromCacheWithEachCallersId_UntilListChangedIsSeen()
    {
        await using var dispatcher = await DispatcherUnderTest.StartAsync();
        await using var worker = await TestWorker.StartAsync(dispatcher.Address, "worker-1", slots: 1);
        var route = Calls.Route();

        var first = Assert.Single(await Calls.RelayAsync(dispatcher.Dispatch, Calls.List(route, "a"))).Result;
        var second = Assert.Single(await Calls.RelayAsync(dispatcher.Dispatch, Calls.List(route, "b"))).Result;
        var change = await Calls.RelayAsync(dispatcher.Dispatch, Calls.Tool(route, 1, "change"));
        var third = Assert.Single(await Calls.RelayAsync(dispatcher.Dispatch, Calls.List(route, "c"))).Result;

        Assert.False(first.Cache.FromCache);
        Assert.Equal(TimeSpan.FromSeconds(30), first.Cache.Ttl.ToTimeSpan());
        Assert.True(second.Cache.FromCache);
        Assert.Equal(first.Cache.Version, second.Cache.Version);
        Assert.Contains("\"id\":\"b\"", second.Message.Text(), StringComparison.Ordinal);
        Assert.Contains("\"description\":\"v1\"", second.Message.Text(), StringComparison.Ordinal);
        Assert.Contains("notifications/tools/list_changed", change[0].Related.Text(), StringComparison.Ordinal);
        Assert.False(third.Cache.FromCache);
        Assert.NotEqual(first.Cache.Version, third.Cache.Version);
        Assert.Contains("\"id\":\"c\"", third.Message.Text(), StringComparison.Ordinal);
        Assert.Contains("\"description\":\"v2\"", third.Message.Text(), StringComparison.Ordinal);
        Assert.Equal(2, worker.Service.ListCalls);
    }

    [Fact]
    public async Task ToolsList_IsCachedPerProtocolRevision()
    {
        await using var dispatcher = await DispatcherUnderTest.StartAsync();
        await using var worker = await TestWorker.StartAsync(dispatcher.Address, "worker-1", slots: 1);
        var older = Calls.Route();
        older.ProtocolVersion = "2025-03-26";

        await Calls.RelayAsync(dispatcher.Dispatch, Calls.List(Calls.Route(), "a"));
        var other = Assert.Single(await Calls.RelayAsync(dispatcher.Dispatch, Calls.List(older, "b"))).Result;

        Assert.False(other.Cache.FromCache);
        Assert.Equal(2, worker.Service.ListCalls);
    }

    [Fact]
    public async Task ListChangedSeenByOneDispatcher_DropsTheOtherDispatchersCache_ThroughRedis()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var one = await DispatcherUnderTest.StartAsync(redis.ConnectionString);
        await using var two = await DispatcherUnderTest.StartAsync(redis.ConnectionString);
        await using var worker = await TestWorker.StartAsync(one.Address, "worker-1", slots: 1);
        await DispatcherUnderTest.EventuallyAsync(() => two.Pool.Find("worker-1") is not null, "the second dispatcher sees the worker through Redis");
        var route = Calls.Route();
        await Calls.RelayAsync(one.Dispatch, Calls.List(route, "warm"));
        var cached = Assert.Single(await Calls.RelayAsync(one.Dispatch, Calls.List(route, "cached"))).Result;

        await Calls.RelayAsync(two.Dispatch, Calls.Tool(route, 1, "change"));

        string? text = null;
        await DispatcherUnderTest.EventuallyAsync(async () =>
        {
            var result = Assert.Single(await Calls.RelayAsync(one.Dispatch, Calls.List(route, "after"))).Result;
            text = result.Message.Text();
            return !result.Cache.FromCache;
        }, "the first dispatcher drops its cached list");
        Assert.True(cached.Cache.FromCache);
        Assert.Contains("\"description\":\"v2\"", text, StringComparison.Ordinal);
    }
}
