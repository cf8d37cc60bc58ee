namespace McpPlatform.Redis;

/// <summary>One handler's subscription; disposing it unsubscribes (the channel itself once its last handler goes).</summary>
public sealed class RedisSubscription : IAsyncDisposable
{
    private readonly RedisSubscriber _owner;
    private int _disposed;

    internal RedisSubscription(RedisSubscriber owner, string channel, bool isPattern, Action<RedisChannelMessage> handler)
    {
        _owner = owner;
        Channel = channel;
        IsPattern = isPattern;
        Handler = handler;
    }

    /// <summary>The channel or pattern.</summary>
    public string Channel { get; }

    /// <summary>True for a PSUBSCRIBE pattern.</summary>
    public bool IsPattern { get; }

    internal Action<RedisChannelMessage> Handler { get; }

    /// <summary>Stops delivering messages to this handler.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            await _owner.RemoveAsync(this, CancellationToken.None).ConfigureAwait(false);
        }
    }
}
