namespace McpPlatform.Stores.Invalidation;

/// <summary>
/// Broadcasts "forget this" messages to every replica (key revocation, plan changes). Delivery is at most once and
/// only to replicas connected at the time; a subscriber that was disconnected is told through <c>onGap</c> so it can
/// drop its whole cache instead of trusting it.
/// </summary>
public interface IInvalidationBus
{
    /// <summary>Publishes <paramref name="message"/> on <paramref name="topic"/> to every replica.</summary>
    ValueTask PublishAsync(string topic, string message, CancellationToken cancellationToken = default);

    /// <summary>
    /// Calls <paramref name="onMessage"/> for every message on <paramref name="topic"/>, and <paramref name="onGap"/>
    /// when messages may have been missed (after a reconnect). Dispose the result to stop.
    /// </summary>
    ValueTask<IAsyncDisposable> SubscribeAsync(string topic, Action<string> onMessage, Action? onGap = null, CancellationToken cancellationToken = default);
}
