using McpPlatform.Stores.Invalidation;

namespace McpPlatform.Dispatcher.Grpc.Caching;

/// <summary>
/// Carries list_changed between replicas: a replica that sees one publishes "{server}\n{method}" on the
/// "dispatcher-lists" topic and every replica (itself included) drops its entries. A gap in delivery drops nothing
/// more than the TTL already bounds.
/// </summary>
internal sealed class ListCacheInvalidation(IInvalidationBus bus, ListCache cache) : IHostedService, IAsyncDisposable
{
    public const string Topic = "dispatcher-lists";

    private IAsyncDisposable? _subscription;

    public ValueTask PublishAsync(string server, string method, CancellationToken cancellationToken)
    {
        cache.Drop(server, method, "list_changed");
        return bus.PublishAsync(Topic, server + "\n" + method, cancellationToken);
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _subscription = await bus.SubscribeAsync(Topic, message =>
        {
            var parts = message.Split('\n');
            if (parts.Length == 2)
            {
                cache.Drop(parts[0], parts[1], "list_changed from another replica");
            }
        }, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    public async Task StopAsync(CancellationToken cancellationToken) => await DisposeAsync().ConfigureAwait(false);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _subscription, null) is { } subscription)
        {
            await subscription.DisposeAsync().ConfigureAwait(false);
        }
    }
}
