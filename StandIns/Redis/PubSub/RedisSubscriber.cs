using System.Collections.Immutable;
using System.Threading.Channels;
using McpPlatform.Redis.Connection;
using McpPlatform.Redis.Diagnostics;
using Microsoft.Extensions.Logging;

namespace McpPlatform.Redis;

/// <summary>
/// Pub/sub over a dedicated subscriber connection, the counterpart of StackExchange.Redis's <c>ISubscriber</c>.
/// Subscriptions survive reconnects: every channel and pattern is subscribed again before the connection is used,
/// and <see cref="Resubscribed"/> tells consumers that messages published meanwhile were missed.
/// Handlers run one at a time, in order, off the socket's read loop.
/// </summary>
public sealed class RedisSubscriber : IAsyncDisposable
{
    private readonly RedisMultiplexer _multiplexer;
    private readonly ILogger _logger;
    private readonly ConnectionEngine _engine;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Channel<Delivery> _inbox = Channel.CreateUnbounded<Delivery>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _dispatcher;
    private ImmutableDictionary<string, ImmutableArray<RedisSubscription>> _channels = ImmutableDictionary<string, ImmutableArray<RedisSubscription>>.Empty;
    private ImmutableDictionary<string, ImmutableArray<RedisSubscription>> _patterns = ImmutableDictionary<string, ImmutableArray<RedisSubscription>>.Empty;

    internal RedisSubscriber(RedisMultiplexer multiplexer, RedisOptions options, ILogger logger)
    {
        _multiplexer = multiplexer;
        _logger = logger;
        _engine = new ConnectionEngine(options, logger, "subscriber", 0, ResubscribeAsync, OnMessage);
        _engine.Restored += OnRestored;
        _engine.StartAsync().ContinueWith(static task => _ = task.Exception, TaskScheduler.Default);
        _dispatcher = Task.Run(DispatchAsync);
    }

    /// <summary>Raised after a reconnect, once every subscription is back; messages published while the connection was down were lost.</summary>
    public event Action? Resubscribed;

    /// <summary>True while the subscriber connection is up.</summary>
    public bool IsConnected => _engine.IsConnected;

    /// <summary>SUBSCRIBE: calls <paramref name="handler"/> for every message on <paramref name="channel"/>; completes once Redis confirmed.</summary>
    public Task<RedisSubscription> SubscribeAsync(string channel, Action<RedisChannelMessage> handler, CancellationToken cancellationToken = default) =>
        AddAsync(channel, isPattern: false, handler, cancellationToken);

    /// <summary>PSUBSCRIBE: calls <paramref name="handler"/> for every message on a channel matching the glob <paramref name="pattern"/>.</summary>
    public Task<RedisSubscription> PatternSubscribeAsync(string pattern, Action<RedisChannelMessage> handler, CancellationToken cancellationToken = default) =>
        AddAsync(pattern, isPattern: true, handler, cancellationToken);

    /// <summary>PUBLISH through the multiplexer's interactive connection; returns the number of receivers.</summary>
    public ValueTask<long> PublishAsync(string channel, RedisValue message, CancellationToken cancellationToken = default) =>
        _multiplexer.GetDatabase().PublishAsync(channel, message, cancellationToken);

    private async Task<RedisSubscription> AddAsync(string name, bool isPattern, Action<RedisChannelMessage> handler, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(handler);
        var subscription = new RedisSubscription(this, name, isPattern, handler);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var map = isPattern ? _patterns : _channels;
            var existing = map.GetValueOrDefault(name, []);
            if (existing.IsDefaultOrEmpty)
            {
                // Registered first, so a reconnect during the SUBSCRIBE also restores it.
                SetMap(isPattern, map.SetItem(name, [subscription]));
                try
                {
                    await _engine.ExecuteAsync(isPattern ? "PSUBSCRIBE" : "SUBSCRIBE", [name], idempotent: true, cancellationToken).ConfigureAwait(false);
                }
                catch
                {
                    SetMap(isPattern, (isPattern ? _patterns : _channels).Remove(name));
                    throw;
                }
            }
            else
            {
                SetMap(isPattern, map.SetItem(name, existing.Add(subscription)));
            }

            return subscription;
        }
        finally
        {
            _gate.Release();
        }
    }

    internal async Task RemoveAsync(RedisSubscription subscription, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var map = subscription.IsPattern ? _patterns : _channels;
            if (!map.TryGetValue(subscription.Channel, out var handlers))
            {
                return;
            }

            var remaining = handlers.Remove(subscription);
            if (_engine.IsConnected)
            {
                // A barrier on the subscriber connection first: every message published before this call is read
                // (and handed to this handler) before the handler goes. UNSUBSCRIBE is that barrier when it is the
                // channel's last handler, PING otherwise.
                var command = !remaining.IsEmpty ? "PING" : subscription.IsPattern ? "PUNSUBSCRIBE" : "UNSUBSCRIBE";
                RedisValue[] args = remaining.IsEmpty ? [subscription.Channel] : [];
                try
                {
                    await _engine.ExecuteAsync(command, args, idempotent: true, cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    map = subscription.IsPattern ? _patterns : _channels;
                    SetMap(subscription.IsPattern, remaining.IsEmpty ? map.Remove(subscription.Channel) : map.SetItem(subscription.Channel, remaining));
                }
            }
            else
            {
                SetMap(subscription.IsPattern, remaining.IsEmpty ? map.Remove(subscription.Channel) : map.SetItem(subscription.Channel, remaining));
            }
        }
        catch (RedisException)
        {
            // The connection is down: nothing to unsubscribe from, and the next connection will not resubscribe it.
        }
        finally
        {
            _gate.Release();
        }
    }

    private void SetMap(bool isPattern, ImmutableDictionary<string, ImmutableArray<RedisSubscription>> map)
    {
        if (isPattern)
        {
            _patterns = map;
        }
        else
        {
            _channels = map;
        }
    }

    private async Task ResubscribeAsync(PhysicalConnection connection, CancellationToken cancellationToken)
    {
        var channels = _channels.Keys.ToArray();
        var patterns = _patterns.Keys.ToArray();

        // One at a time: the handshake path writes directly to the socket and must not overlap itself.
        var timeout = (long)_multiplexer.Options.CommandTimeout.TotalMilliseconds;
        foreach (var channel in channels)
        {
            await Handshake.SendAsync(connection, "SUBSCRIBE", [channel], timeout, cancellationToken).ConfigureAwait(false);
        }

        foreach (var pattern in patterns)
        {
            await Handshake.SendAsync(connection, "PSUBSCRIBE", [pattern], timeout, cancellationToken).ConfigureAwait(false);
        }

        if (channels.Length + patterns.Length > 0)
        {
            Log.Resubscribed(_logger, channels.Length, patterns.Length);
        }
    }

    private void OnRestored() => Resubscribed?.Invoke();

    private void OnMessage(RedisResult message)
    {
        // The handlers are chosen when the message arrives, so one published before an unsubscribe is still delivered.
        var isPattern = message.Items.Count == 4;
        var channel = message[isPattern ? 2 : 1].Value.ToString();
        var pattern = isPattern ? message[1].Value.ToString() : null;
        var handlers = isPattern ? _patterns.GetValueOrDefault(pattern!, []) : _channels.GetValueOrDefault(channel, []);
        if (!handlers.IsDefaultOrEmpty)
        {
            _inbox.Writer.TryWrite(new Delivery(new RedisChannelMessage(channel, message[isPattern ? 3 : 2].Value, pattern), handlers));
        }
    }

    private async Task DispatchAsync()
    {
        await foreach (var delivery in _inbox.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            foreach (var subscription in delivery.Handlers)
            {
                try
                {
                    subscription.Handler(delivery.Message);
                }
                catch (Exception exception)
                {
                    Log.HandlerFailed(_logger, subscription.Channel, exception);
                }
            }
        }
    }

    /// <summary>Closes the subscriber connection.</summary>
    public async ValueTask DisposeAsync()
    {
        await _engine.DisposeAsync().ConfigureAwait(false);
        _inbox.Writer.TryComplete();
        await _dispatcher.ConfigureAwait(false);
        _gate.Dispose();
    }

    private readonly record struct Delivery(RedisChannelMessage Message, ImmutableArray<RedisSubscription> Handlers);
}
