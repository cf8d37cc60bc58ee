using System.Collections.Immutable;
using Microsoft.Extensions.Logging;

namespace McpPlatform.Stores.Invalidation;

/// <summary>The single-node twin of <see cref="RedisInvalidationBus"/>: handlers are called in publish order, off the publisher's thread.</summary>
internal sealed partial class InProcessInvalidationBus(ILogger<InProcessInvalidationBus> logger) : IInvalidationBus
{
    private readonly Lock _lock = new();
    private ImmutableDictionary<string, ImmutableArray<Action<string>>> _handlers = ImmutableDictionary<string, ImmutableArray<Action<string>>>.Empty;
    private Task _tail = Task.CompletedTask;

    public ValueTask PublishAsync(string topic, string message, CancellationToken cancellationToken = default)
    {
        Topics.Validate(topic);
        ArgumentNullException.ThrowIfNull(message);
        var handlers = _handlers.GetValueOrDefault(topic, []);
        if (handlers.IsDefaultOrEmpty)
        {
            return ValueTask.CompletedTask;
        }

        // Chained so deliveries keep publish order, as one Redis subscriber connection would.
        lock (_lock)
        {
            _tail = _tail.ContinueWith(_ => Deliver(topic, handlers, message), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<IAsyncDisposable> SubscribeAsync(string topic, Action<string> onMessage, Action? onGap = null, CancellationToken cancellationToken = default)
    {
        Topics.Validate(topic);
        ArgumentNullException.ThrowIfNull(onMessage);
        lock (_lock)
        {
            _handlers = _handlers.SetItem(topic, _handlers.GetValueOrDefault(topic, []).Add(onMessage));
        }

        // In one process nothing is ever missed, so onGap is never called.
        return ValueTask.FromResult<IAsyncDisposable>(new Subscription(this, topic, onMessage));
    }

    private void Remove(string topic, Action<string> handler)
    {
        lock (_lock)
        {
            var remaining = _handlers.GetValueOrDefault(topic, []).Remove(handler);
            _handlers = remaining.IsEmpty ? _handlers.Remove(topic) : _handlers.SetItem(topic, remaining);
        }
    }

    private void Deliver(string topic, ImmutableArray<Action<string>> handlers, string message)
    {
        foreach (var handler in handlers)
        {
            try
            {
                handler(message);
            }
            catch (Exception exception)
            {
                LogHandlerFailed(logger, topic, exception);
            }
        }
    }

    [LoggerMessage(1, LogLevel.Error, "An invalidation handler for topic {Topic} threw")]
    private static partial void LogHandlerFailed(ILogger logger, string topic, Exception exception);

    private sealed class Subscription(InProcessInvalidationBus owner, string topic, Action<string> handler) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            owner.Remove(topic, handler);
            return ValueTask.CompletedTask;
        }
    }
}
