using McpPlatform.Redis.Tests.Infrastructure;

namespace McpPlatform.Redis.Tests.Client;

[Collection(RedisCollection.Name)]
public sealed class StreamCommandTests(RedisFixture fixture)
{
    [Theory]
    [InlineData("resp2")]
    [InlineData("resp3")]
    public async Task AddRangeReadAndTrim_FollowStreamSemantics(string protocol)
    {
        await using var redis = await fixture.ConnectAsync(",protocol=" + protocol);
        var db = redis.GetDatabase();
        var key = RedisFixture.UniqueKey("stream");

        var ids = new List<string>();
        for (var i = 0; i < 10; i++)
        {
            ids.Add(await db.StreamAddAsync(key, [new("n", i), new("body", $"event {i}")]));
        }

        var all = await db.StreamRangeAsync(key);
        Assert.Equal(ids, all.Select(e => e.Id));
        Assert.Equal("event 3", (string?)all[3]["body"]);
        var after = await db.StreamRangeAsync(key, "(" + ids[6], count: 2);
        Assert.Equal(ids[7..9], after.Select(e => e.Id));
        var read = await db.StreamReadAsync(key, ids[8]);
        Assert.Equal([ids[9]], read.Select(e => e.Id));
        Assert.Empty(await db.StreamReadAsync(key, ids[9]));

        Assert.Equal(4, await db.StreamTrimAsync(key, 6, approximate: false));
        Assert.Equal(2, await db.StreamTrimByMinIdAsync(key, ids[6], approximate: false));
        Assert.Equal(4, await db.StreamLengthAsync(key));
        Assert.Equal(ids[6], (await db.StreamRangeAsync(key, count: 1))[0].Id);
    }

    [Fact]
    public async Task AddWithApproximateMaxLength_CapsTheStream()
    {
        await using var redis = await fixture.ConnectAsync();
        var db = redis.GetDatabase();
        var key = RedisFixture.UniqueKey("stream");

        for (var i = 0; i < 1000; i++)
        {
            await db.StreamAddAsync(key, [new("n", i)], maxLength: 100);
        }

        Assert.InRange(await db.StreamLengthAsync(key), 100, 200);
    }

    [Fact]
    public async Task BlockingRead_DoesNotStallTheSharedConnectionAndWakesOnAppend()
    {
        await using var redis = await fixture.ConnectAsync();
        var db = redis.GetDatabase();
        var key = RedisFixture.UniqueKey("stream");
        var last = await db.StreamAddAsync(key, [new("n", 0)]);

        var waiting = db.StreamReadAsync(key, last, block: TimeSpan.FromSeconds(10)).AsTask();
        for (var i = 0; i < 50; i++)
        {
            Assert.Equal("x", (await db.ExecuteAsync("ECHO", "x")).ToString());
        }

        Assert.False(waiting.IsCompleted);
        var appended = await db.StreamAddAsync(key, [new("n", 1)]);
        var entries = await waiting.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal([appended], entries.Select(e => e.Id));
    }

    [Fact]
    public async Task BlockingReadTimesOut_ReturnsEmpty()
    {
        await using var redis = await fixture.ConnectAsync();

        var entries = await redis.GetDatabase().StreamReadAsync(RedisFixture.UniqueKey("stream"), "0-0", block: TimeSpan.FromMilliseconds(50));

        Assert.Empty(entries);
    }

    [Fact]
    public async Task BlockingReadCancelled_ThrowsAndLaterReadsWork()
    {
        await using var redis = await fixture.ConnectAsync();
        var db = redis.GetDatabase();
        var key = RedisFixture.UniqueKey("stream");
        using var cancel = new CancellationTokenSource();

        var waiting = db.StreamReadAsync(key, "$", block: TimeSpan.FromSeconds(30), cancellationToken: cancel.Token).AsTask();
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);

        var id = await db.StreamAddAsync(key, [new("n", 1)]);
        var entries = await db.StreamReadAsync(key, "0-0", block: TimeSpan.FromSeconds(5));
        Assert.Equal([id], entries.Select(e => e.Id));
    }
}
