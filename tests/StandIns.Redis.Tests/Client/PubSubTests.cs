using System.Threading.Channels;
using McpPlatform.Redis.Tests.Infrastructure;

namespace McpPlatform.Redis.Tests.Client;

[Collection(RedisCollection.Name)]
public sealed class PubSubTests(RedisFixture fixture)
{
    [Theory]
    [InlineData("resp2")]
    [InlineData("resp3")]
    public async Task SubscribeAndPatternSubscribe_ReceiveInOrder(string protocol)
    {
        await using var redis = await fixture.ConnectAsync(",protocol=" + protocol);
        var subscriber = redis.GetSubscriber();
        var channel = RedisFixture.UniqueKey("chan");
        var exact = Channel.CreateUnbounded<RedisChannelMessage>();
        var byPattern = Channel.CreateUnbounded<RedisChannelMessage>();

        await using var one = await subscriber.SubscribeAsync(channel, m => exact.Writer.TryWrite(m));
        await using var two = await subscriber.PatternSubscribeAsync(channel[..^4] + "*", m => byPattern.Writer.TryWrite(m));
        for (var i = 0; i < 50; i++)
        {
            Assert.Equal(2, await subscriber.PublishAsync(channel, i));
        }

        for (var i = 0; i < 50; i++)
        {
            var message = await exact.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(5));
            Assert.Equal(i, message.Message.ToInt64());
            Assert.Equal(channel, message.Channel);
            var matched = await byPattern.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(5));
            Assert.Equal(channel[..^4] + "*", matched.Pattern);
            Assert.Equal(i, matched.Message.ToInt64());
        }
    }

    [Fact]
    public async Task DisposedSubscription_StopsReceiving()
    {
        await using var redis = await fixture.ConnectAsync();
        var subscriber = redis.GetSubscriber();
        var channel = RedisFixture.UniqueKey("chan");
        var received = Channel.CreateUnbounded<RedisChannelMessage>();

        var subscription = await subscriber.SubscribeAsync(channel, m => received.Writer.TryWrite(m));
        Assert.Equal(1, await subscriber.PublishAsync(channel, "first"));
        await subscription.DisposeAsync();

        Assert.Equal(0, await subscriber.PublishAsync(channel, "second"));
        Assert.Equal("first", (string?)(await received.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(5))).Message);
    }

    [Fact]
    public async Task ThrowingHandler_DoesNotStopOtherHandlers()
    {
        await using var redis = await fixture.ConnectAsync();
        var subscriber = redis.GetSubscriber();
        var channel = RedisFixture.UniqueKey("chan");
        var received = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);

        await using var bad = await subscriber.SubscribeAsync(channel, _ => throw new InvalidOperationException("handler bug"));
        await using var good = await subscriber.SubscribeAsync(channel, m => received.TrySetResult(m.Message!));
        await subscriber.PublishAsync(channel, "hello");

        Assert.Equal("hello", await received.Task.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task ServerRestarted_SubscriptionsComeBack()
    {
        await using var server = await RedisServer.StartAsync();
        await using var redis = await RedisMultiplexer.ConnectAsync($"{server.EndPoint},abortConnect=false");
        var subscriber = redis.GetSubscriber();
        var received = Channel.CreateUnbounded<RedisChannelMessage>();
        var resubscribed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        subscriber.Resubscribed += () => resubscribed.TrySetResult();
        await using var exact = await subscriber.SubscribeAsync("events", m => received.Writer.TryWrite(m));
        await using var pattern = await subscriber.PatternSubscribeAsync("keys.*", m => received.Writer.TryWrite(m));

        await server.StopAsync();
        await server.StartAgainAsync();
        await resubscribed.Task.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.True(subscriber.IsConnected);
        Assert.Equal(1, await PublishWhenConnectedAsync(redis, "events", "after restart"));
        Assert.Equal(1, await PublishWhenConnectedAsync(redis, "keys.revoked", "k1"));
        Assert.Equal("after restart", (string?)(await received.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(5))).Message);
        var revoked = await received.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(("keys.revoked", "k1", "keys.*"), (revoked.Channel, (string?)revoked.Message, revoked.Pattern));
    }

    private static async Task<long> PublishWhenConnectedAsync(RedisMultiplexer redis, string channel, string message)
    {
        // The interactive connection reconnects on its own schedule: idempotent-free PUBLISH is simply retried here.
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await redis.GetDatabase().PublishAsync(channel, message);
            }
            catch (RedisException) when (attempt < 50)
            {
            }
        }
    }
}
