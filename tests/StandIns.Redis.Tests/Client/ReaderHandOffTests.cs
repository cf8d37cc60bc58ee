using McpPlatform.Redis.Tests.Infrastructure;

namespace McpPlatform.Redis.Tests.Client;

/// <summary>
/// A reply batch runs on the thread that read it once the next read is pending: the reading must go on elsewhere,
/// or a caller that blocks in its continuation on a reply still to be read would wait for ever.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class ReaderHandOffTests(RedisFixture fixture)
{
    [Fact]
    public async Task LoneCallerBlockingOnItsNextReply_ThatReplyIsStillRead()
    {
        // A command timeout far beyond the test's patience: only a reply read by another thread ends the wait in time.
        await using var redis = await fixture.ConnectAsync(",syncTimeout=60000");
        var db = redis.GetDatabase();
        var key = RedisFixture.UniqueKey("handoff");
        await db.StringSetAsync(key, "v");

        var results = await Task.Run(async () =>
        {
            var seen = new List<string?>();
            for (var round = 0; round < 20; round++)
            {
                // The continuation after this await runs in the reply's batch; it then blocks on a reply not yet read.
                await db.StringGetAsync(key);
                seen.Add(db.StringGetAsync(key).AsTask().GetAwaiter().GetResult());
            }

            return seen;
        }).WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(Enumerable.Repeat<string?>("v", 20), results);
    }

    [Fact]
    public async Task ManyBatchesInARow_EveryReplyReachesItsCallerInOrder()
    {
        // One caller with a deep pipeline: its replies arrive over many reads, some run inline, some queued.
        await using var redis = await fixture.ConnectAsync();
        var db = redis.GetDatabase();
        var prefix = RedisFixture.UniqueKey("order");
        var sets = Enumerable.Range(0, 2_000).Select(i => db.StringSetAsync($"{prefix}:{i}", i.ToString(System.Globalization.CultureInfo.InvariantCulture)).AsTask()).ToArray();
        Assert.All(await Task.WhenAll(sets), Assert.True);

        var gets = Enumerable.Range(0, 2_000).Select(i => db.StringGetAsync($"{prefix}:{i}").AsTask()).ToArray();
        var values = await Task.WhenAll(gets);
        Assert.Equal(Enumerable.Range(0, 2_000).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), values.Select(value => (string?)value));
    }
}
