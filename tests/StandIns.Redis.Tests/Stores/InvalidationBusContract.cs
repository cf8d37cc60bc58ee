using System.Threading.Channels;
using McpPlatform.Redis.Tests.Infrastructure;

namespace McpPlatform.Redis.Tests.Stores;

public abstract class InvalidationBusContract : StoreContract
{
    [Fact]
    public async Task PublishedRevocation_ReachesEveryReplicaWithinOneSecond()
    {
        var replicas = new[] { await Backend.CreateReplicaAsync(), await Backend.CreateReplicaAsync(), await Backend.CreateReplicaAsync() };
        var topic = "keys-" + NewKey();
        var inboxes = replicas.Select(_ => Channel.CreateUnbounded<string>()).ToArray();
        var subscriptions = new List<IAsyncDisposable>();
        for (var i = 0; i < 2; i++)
        {
            var inbox = inboxes[i];
            subscriptions.Add(await replicas[i].Bus.SubscribeAsync(topic, m => inbox.Writer.TryWrite(m)));
        }

        await replicas[2].Bus.PublishAsync(topic, "key_123");

        foreach (var inbox in inboxes.Take(2))
        {
            Assert.Equal("key_123", await inbox.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(1)));
        }

        foreach (var subscription in subscriptions)
        {
            await subscription.DisposeAsync();
        }
    }

    [Fact]
    public async Task Messages_ArriveInPublishOrderAndOnlyOnTheirTopic()
    {
        var bus = (await Backend.CreateReplicaAsync()).Bus;
        var (topic, other) = ("t-" + NewKey(), "t-" + NewKey());
        var inbox = Channel.CreateUnbounded<string>();
        await using var subscription = await bus.SubscribeAsync(topic, m => inbox.Writer.TryWrite(m));

        await bus.PublishAsync(other, "not for us");
        for (var i = 0; i < 20; i++)
        {
            await bus.PublishAsync(topic, i.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(i.ToString(System.Globalization.CultureInfo.InvariantCulture), await inbox.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(5)));
        }
    }

    [Fact]
    public async Task DisposedSubscription_ReceivesNothingMore()
    {
        var bus = (await Backend.CreateReplicaAsync()).Bus;
        var topic = "t-" + NewKey();
        var inbox = Channel.CreateUnbounded<string>();
        var kept = Channel.CreateUnbounded<string>();
        var subscription = await bus.SubscribeAsync(topic, m => inbox.Writer.TryWrite(m));
        await using var keeper = await bus.SubscribeAsync(topic, m => kept.Writer.TryWrite(m));

        await subscription.DisposeAsync();
        await bus.PublishAsync(topic, "after");

        Assert.Equal("after", await kept.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.False(inbox.Reader.TryRead(out _));
    }

    [Theory]
    [InlineData("")]
    [InlineData("keys.*")]
    [InlineData("has space")]
    public async Task BadTopic_IsRejected(string topic)
    {
        var bus = (await Backend.CreateReplicaAsync()).Bus;

        await Assert.ThrowsAsync<ArgumentException>(async () => await bus.PublishAsync(topic, "x"));
        await Assert.ThrowsAsync<ArgumentException>(async () => await bus.SubscribeAsync(topic, _ => { }));
    }
}

[Collection(RedisCollection.Name)]
public sealed class RedisInvalidationBusTests(RedisFixture fixture) : InvalidationBusContract
{
    protected override StoreBackend CreateBackend() => new RedisBackend(fixture, StoreBackend.DefaultOptions());

    [Fact]
    public async Task ServerRestarted_SubscriberIsToldItMayHaveMissedMessagesAndKeepsReceiving()
    {
        await using var server = await RedisServer.StartAsync();
        await using var backend = new RedisBackend($"{server.EndPoint},abortConnect=false", StoreBackend.DefaultOptions());
        var (listener, publisher) = (await backend.CreateReplicaAsync(), await backend.CreateReplicaAsync());
        var gap = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var inbox = Channel.CreateUnbounded<string>();
        await using var subscription = await listener.Bus.SubscribeAsync("keys", m => inbox.Writer.TryWrite(m), () => gap.TrySetResult());

        await server.StopAsync();
        await server.StartAgainAsync();
        await gap.Task.WaitAsync(TimeSpan.FromSeconds(20));

        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await publisher.Bus.PublishAsync("keys", "key_after_restart");
                break;
            }
            catch (RedisException) when (attempt < 50)
            {
                // The publisher's own connection comes back on its own schedule.
            }
        }

        Assert.Equal("key_after_restart", await inbox.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(5)));
    }
}

public sealed class InProcessInvalidationBusTests : InvalidationBusContract
{
    protected override StoreBackend CreateBackend() => new InProcessBackend(StoreBackend.DefaultOptions());
}
