using McpPlatform.Redis.Tests.Infrastructure;

namespace McpPlatform.Redis.Tests.Client;

[Collection(RedisCollection.Name)]
public sealed class BasicCommandTests(RedisFixture fixture)
{
    [Theory]
    [InlineData("resp2")]
    [InlineData("resp3")]
    public async Task SetThenGet_ReturnsTheValue(string protocol)
    {
        await using var redis = await fixture.ConnectAsync(",protocol=" + protocol);
        var db = redis.GetDatabase();
        var key = RedisFixture.UniqueKey();

        Assert.True(await db.StringSetAsync(key, "héllo"));
        Assert.Equal("héllo", (string?)await db.StringGetAsync(key));
        Assert.True((await db.StringGetAsync(RedisFixture.UniqueKey())).IsNull);
    }

    [Fact]
    public async Task Ping_RoundTrips()
    {
        await using var redis = await fixture.ConnectAsync();
        var rtt = await redis.GetDatabase().PingAsync();
        Assert.True(rtt < TimeSpan.FromSeconds(1));
        Assert.True(redis.IsConnected);
    }

    [Fact]
    public async Task SetWithConditionAndExpiry_BehavesLikeRedis()
    {
        await using var redis = await fixture.ConnectAsync();
        var db = redis.GetDatabase();
        var key = RedisFixture.UniqueKey();

        Assert.False(await db.StringSetAsync(key, "a", when: SetCondition.Exists));
        Assert.True(await db.StringSetAsync(key, "a", TimeSpan.FromMinutes(1), SetCondition.NotExists));
        Assert.False(await db.StringSetAsync(key, "b", when: SetCondition.NotExists));
        var ttl = await db.KeyTimeToLiveAsync(key);
        Assert.InRange(ttl!.Value, TimeSpan.FromSeconds(50), TimeSpan.FromMinutes(1));
        Assert.True(await db.KeyPersistAsync(key));
        Assert.Null(await db.KeyTimeToLiveAsync(key));
        Assert.True(await db.KeyExpireAsync(key, TimeSpan.FromSeconds(30)));
        Assert.True(await db.KeyDeleteAsync(key));
        Assert.False(await db.KeyExistsAsync(key));
    }

    [Fact]
    public async Task Increment_CountsAndRejectsNonIntegers()
    {
        await using var redis = await fixture.ConnectAsync();
        var db = redis.GetDatabase();
        var key = RedisFixture.UniqueKey();

        Assert.Equal(1, await db.StringIncrementAsync(key));
        Assert.Equal(11, await db.StringIncrementAsync(key, 10));
        await db.StringSetAsync(key, "not a number");
        var error = await Assert.ThrowsAsync<RedisServerException>(async () => await db.StringIncrementAsync(key));
        Assert.Equal("ERR", error.ErrorPrefix);
        Assert.Contains("INCR", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("resp2")]
    [InlineData("resp3")]
    public async Task HashesSetsAndSortedSets_RoundTrip(string protocol)
    {
        await using var redis = await fixture.ConnectAsync(",protocol=" + protocol);
        var db = redis.GetDatabase();
        var hash = RedisFixture.UniqueKey("h");
        var set = RedisFixture.UniqueKey("s");
        var zset = RedisFixture.UniqueKey("z");

        Assert.True(await db.HashSetAsync(hash, "a", 1));
        await db.HashSetAsync(hash, [new("b", "two"), new("c", 3)]);
        Assert.Equal(5, await db.HashIncrementAsync(hash, "c", 2));
        Assert.Equal("two", (string?)await db.HashGetAsync(hash, "b"));
        var all = await db.HashGetAllAsync(hash);
        Assert.Equal(["a", "b", "c"], all.Keys.Order());
        Assert.True(await db.HashDeleteAsync(hash, "a"));
        Assert.True((await db.HashGetAsync(hash, "a")).IsNull);

        Assert.True(await db.SetAddAsync(set, "x"));
        Assert.False(await db.SetAddAsync(set, "x"));
        Assert.True(await db.SetAddAsync(set, "y"));
        Assert.True(await db.SetContainsAsync(set, "y"));
        Assert.Equal(2, await db.SetLengthAsync(set));
        Assert.Equal(["x", "y"], (await db.SetMembersAsync(set)).Select(v => v.ToString()).Order());
        Assert.True(await db.SetRemoveAsync(set, "x"));

        Assert.True(await db.SortedSetAddAsync(zset, "m1", 1.5));
        Assert.True(await db.SortedSetAddAsync(zset, "m2", 2.5));
        Assert.True(await db.SortedSetAddAsync(zset, "m3", 3.5));
        Assert.Equal(2.5, await db.SortedSetScoreAsync(zset, "m2"));
        Assert.Null(await db.SortedSetScoreAsync(zset, "nope"));
        Assert.Equal(["m2", "m3"], (await db.SortedSetRangeByScoreAsync(zset, 2, 10)).Select(v => v.ToString()));
        Assert.Equal(["m1"], (await db.SortedSetRangeByScoreAsync(zset, take: 1)).Select(v => v.ToString()));
        Assert.Equal(1, await db.SortedSetRemoveRangeByScoreAsync(zset, 0, 2));
        Assert.Equal(2, await db.SortedSetLengthAsync(zset));
        Assert.True(await db.SortedSetRemoveAsync(zset, "m3"));
    }

    [Fact]
    public async Task Scan_FindsEveryMatchingKeyAcrossPages()
    {
        await using var redis = await fixture.ConnectAsync();
        var db = redis.GetDatabase();
        var prefix = RedisFixture.UniqueKey("scan");
        for (var i = 0; i < 120; i++)
        {
            await db.StringSetAsync($"{prefix}:{i}", i);
        }

        var found = new List<string>();
        await foreach (var key in db.ScanAsync(prefix + ":*", pageSize: 17))
        {
            found.Add(key);
        }

        Assert.Equal(120, found.Distinct().Count());
    }

    [Fact]
    public async Task SixteenMebibyteValue_RoundTripsIntact()
    {
        await using var redis = await fixture.ConnectAsync(",syncTimeout=30000");
        var db = redis.GetDatabase();
        var key = RedisFixture.UniqueKey("big");
        var value = new byte[16 * 1024 * 1024];
        new Random(42).NextBytes(value);

        await db.StringSetAsync(key, value);
        var small = db.StringGetAsync(key + ":absent");
        var back = (byte[]?)await db.StringGetAsync(key);

        Assert.True((await small).IsNull);
        Assert.NotNull(back);
        Assert.True(value.AsSpan().SequenceEqual(back));
        Assert.Equal("PONG", (await db.ExecuteAsync("PING")).ToString());
        await db.KeyDeleteAsync(key);
    }

    [Fact]
    public async Task RawExecute_ReturnsTheReplyAndThrowsServerErrors()
    {
        await using var redis = await fixture.ConnectAsync();
        var db = redis.GetDatabase();

        var echo = await db.ExecuteAsync("ECHO", "hi");
        Assert.Equal("hi", echo.ToString());
        var error = await Assert.ThrowsAsync<RedisServerException>(async () => await db.ExecuteAsync("NOSUCHCOMMAND", "x"));
        Assert.Contains("unknown command", error.ServerError, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("PONG", (await db.ExecuteAsync("PING")).ToString());
    }

    [Fact]
    public async Task DefaultDatabase_SelectsIt()
    {
        await using var redis = await fixture.ConnectAsync(",defaultDatabase=3");
        var key = RedisFixture.UniqueKey();
        await redis.GetDatabase().StringSetAsync(key, "in three");

        Assert.Equal(3, (await redis.GetDatabase().ExecuteAsync("CLIENT", "INFO")).ToString().Split(' ').Where(p => p.StartsWith("db=", StringComparison.Ordinal)).Select(p => int.Parse(p[3..], System.Globalization.CultureInfo.InvariantCulture)).Single());
        Assert.True((await redis.GetDatabase(0).StringGetAsync(key)).IsNull);
        Assert.Equal("in three", (string?)await redis.GetDatabase(3).StringGetAsync(key));
    }
}
