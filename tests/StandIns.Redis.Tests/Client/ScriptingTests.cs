using McpPlatform.Redis.Tests.Infrastructure;

namespace McpPlatform.Redis.Tests.Client;

[Collection(RedisCollection.Name)]
public sealed class ScriptingTests(RedisFixture fixture)
{
    private static readonly RedisScript Echo = new("return {KEYS[1], ARGV[1], redis.call('INCR', KEYS[1] .. ':n')}");

    [Fact]
    public async Task ScriptFlushed_IsLoadedAgainTransparently()
    {
        await using var redis = await fixture.ConnectAsync();
        var db = redis.GetDatabase();
        var key = RedisFixture.UniqueKey();

        var first = await db.ScriptEvaluateAsync(Echo, [key], ["a"]);
        await db.ExecuteAsync("SCRIPT", "FLUSH");
        var second = await db.ScriptEvaluateAsync(Echo, [key], ["b"]);

        Assert.Equal($"[{key}, a, 1]", first.ToString());
        Assert.Equal($"[{key}, b, 2]", second.ToString());
    }

    [Fact]
    public async Task ScriptError_SurfacesAsAServerError()
    {
        await using var redis = await fixture.ConnectAsync();
        var broken = new RedisScript("return redis.call('NOSUCHCOMMAND')");

        var error = await Assert.ThrowsAsync<RedisServerException>(async () => await redis.GetDatabase().ScriptEvaluateAsync(broken, [], []));

        Assert.Equal("EVALSHA", error.Command);
        Assert.Equal("PONG", (await redis.GetDatabase().ExecuteAsync("PING")).ToString());
    }

    [Fact]
    public void Sha1_MatchesRedis()
    {
        Assert.Equal("e0e1f9fabfc9d4800c877a703b823ac0578ff8db", new RedisScript("return 1").Sha1);
    }
}
