using McpPlatform.Redis.Tests.Infrastructure;

namespace McpPlatform.Redis.Tests.Client;

[Collection(RedisCollection.Name)]
public sealed class StreamGroupTests(RedisFixture fixture)
{
    [Theory]
    [InlineData("resp2")]
    [InlineData("resp3")]
    public async Task ConsumerGroup_DeliversOnceAndACrashedConsumersEntriesCanBeClaimed(string protocol)
    {
        await using var redis = await fixture.ConnectAsync(",protocol=" + protocol);
        var db = redis.GetDatabase();
        var key = RedisFixture.UniqueKey("usage");

        Assert.True(await db.StreamCreateGroupAsync(key, "drain", "0"));
        Assert.False(await db.StreamCreateGroupAsync(key, "drain", "0"));
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add(await db.StreamAddAsync(key, [new("n", i)]));
        }

        var first = await db.StreamReadGroupAsync(key, "drain", "worker-1", count: 10);
        Assert.Equal(ids, first.Select(e => e.Id));
        Assert.Empty(await db.StreamReadGroupAsync(key, "drain", "worker-2", count: 10));
        Assert.Equal(2, await db.StreamAcknowledgeAsync(key, "drain", ids[..2]));

        // worker-1 "crashed" with ids[2] pending: worker-2 claims it.
        var (claimed, next) = await db.StreamAutoClaimAsync(key, "drain", "worker-2", TimeSpan.Zero);
        Assert.Equal([ids[2]], claimed.Select(e => e.Id));
        Assert.Equal(2, claimed[0]["n"].ToInt64());
        Assert.Equal("0-0", next);
        Assert.Equal(1, await db.StreamAcknowledgeAsync(key, "drain", [ids[2]]));
        Assert.Empty(await db.StreamReadGroupAsync(key, "drain", "worker-2", count: 10, id: "0"));
    }

    [Fact]
    public async Task BlockingGroupRead_WakesOnAppend()
    {
        await using var redis = await fixture.ConnectAsync();
        var db = redis.GetDatabase();
        var key = RedisFixture.UniqueKey("usage");
        await db.StreamCreateGroupAsync(key, "drain");

        var waiting = db.StreamReadGroupAsync(key, "drain", "worker-1", count: 10, block: TimeSpan.FromSeconds(10)).AsTask();
        var id = await db.StreamAddAsync(key, [new("n", 1)]);

        Assert.Equal([id], (await waiting.WaitAsync(TimeSpan.FromSeconds(5))).Select(e => e.Id));
    }

    [Fact]
    public async Task ReadFromMissingGroup_IsAServerError()
    {
        await using var redis = await fixture.ConnectAsync();

        var error = await Assert.ThrowsAsync<RedisServerException>(async () =>
            await redis.GetDatabase().StreamReadGroupAsync(RedisFixture.UniqueKey("usage"), "nogroup", "c", 1));

        Assert.Equal("NOGROUP", error.ErrorPrefix);
    }
}
