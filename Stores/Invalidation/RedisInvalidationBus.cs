using McpPlatform.Redis;
using Microsoft.Extensions.Options;

namespace McpPlatform.Stores.Invalidation;

/// <summary>Redis pub/sub on <c>{prefix}inv:{topic}</c>; a resubscription after a reconnect is reported as a gap.</summary>
internal sealed class RedisInvalidationBus(RedisMultiplexer redis, IOptions<StoreOptions> options) : IInvalidationBus
{
    private readonly string _prefix = options.Value.KeyPrefix + "inv:";

    public async ValueTask PublishAsync(string topic, string message, CancellationToken cancellationToken = default)
    {
        Topics.Validate(topic);
        ArgumentNullException.ThrowIfNull(message);
        await redis.GetDatabase().PublishAsync(_prefix + topic, message, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<IAsyncDisposable> SubscribeAsync(string topic, Action<string> onMessage, Action? onGap = null, CancellationToken cancellationToken = default)
    {
        Topics.Validate(topic);
        ArgumentNullException.ThrowIfNull(onMessage);
        var subscriber = redis.GetSubscriber();
        var subscription = await subscriber.SubscribeAsync(_prefix + topic, message => onMessage(message.Message.ToString()), cancellationToken).ConfigureAwait(false);
        if (onGap is not null)
        {
            subscriber.Resubscribed += onGap;
        }

        return new Subscription(subscriber, subscription, onGap);
    }

    private sealed class Subscription(RedisSubscriber subscriber, RedisSubscription inner, Action? onGap) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            if (onGap is not null)
            {
                subscriber.Resubscribed -= onGap;
            }

            await inner.DisposeAsync().ConfigureAwait(false);
        }
    }
}
