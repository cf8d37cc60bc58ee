using System.Collections.Concurrent;
using System.Threading.Channels;
using McpPlatform.Stores.Invalidation;

namespace McpPlatform.Gateway.Edge.Mcp.Stateless;

/// <summary>
/// The list changes the dispatchers see (a server's <c>notifications/*/list_changed</c>, published as
/// "{server}\n{list method}" on Dispatcher.Grpc's list-cache topic), fanned out to this replica's
/// <c>subscriptions/listen</c> streams. One bus subscription per replica, opened with the first listener.
/// </summary>
internal sealed class ListChangedFeed(IInvalidationBus bus) : IAsyncDisposable
{
    /// <summary>Dispatcher.Grpc's <c>ListCacheInvalidation.Topic</c>: the same Redis channel, read here.</summary>
    public const string Topic = "dispatcher-lists";

    private readonly ConcurrentDictionary<Channel<string>, string> _listeners = new();
    private readonly SemaphoreSlim _opening = new(1, 1);
    private IAsyncDisposable? _subscription;

    /// <summary>List methods ("tools/list", …) whose list changed on <paramref name="server"/>, until disposed.</summary>
    public async Task<Listener> ListenAsync(string server, CancellationToken cancellationToken)
    {
        if (_subscription is null)
        {
            await _opening.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                _subscription ??= await bus.SubscribeAsync(Topic, Publish, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                _opening.Release();
            }
        }

        var channel = Channel.CreateBounded<string>(new BoundedChannelOptions(16) { FullMode = BoundedChannelFullMode.DropOldest });
        _listeners[channel] = server;
        return new Listener(channel, () => _listeners.TryRemove(channel, out _));
    }

    public async ValueTask DisposeAsync()
    {
        if (_subscription is not null)
        {
            await _subscription.DisposeAsync().ConfigureAwait(false);
        }
    }

    private void Publish(string message)
    {
        var split = message.IndexOf('\n', StringComparison.Ordinal);
        if (split <= 0)
        {
            return;
        }

        var server = message[..split];
        var method = message[(split + 1)..];
        foreach (var (channel, listening) in _listeners)
        {
            if (listening == server)
            {
                channel.Writer.TryWrite(method);
            }
        }
    }

    internal sealed class Listener(Channel<string> channel, Action remove) : IDisposable
    {
        public ChannelReader<string> Changes => channel.Reader;

        public void Dispose() => remove();
    }
}
