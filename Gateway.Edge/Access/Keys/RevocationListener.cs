using System.Text.Json;
using McpPlatform.Gateway.Edge.Access.Telemetry;
using McpPlatform.Stores.Invalidation;

namespace McpPlatform.Gateway.Edge.Access.Keys;

/// <summary>
/// Subscribes to <see cref="Topics.AccessKeys"/> (Access.Api publishes a JSON object with <c>reason</c> and any of
/// <c>keyId</c>, <c>userId</c>, <c>planId</c>) and forgets every cached answer that matches; after a Redis reconnect,
/// when messages may have been missed, it forgets everything. Pub/sub reaches every replica within milliseconds.
/// </summary>
internal sealed class RevocationListener(IInvalidationBus bus, ValidationCache cache, ILogger<RevocationListener> logger) : IHostedService, IAsyncDisposable
{
    private IAsyncDisposable? _subscription;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _subscription = await bus.SubscribeAsync(Topics.AccessKeys, OnMessage, OnGap, cancellationToken).ConfigureAwait(false);
    }

    public async Task StopAsync(CancellationToken cancellationToken) => await DisposeAsync().ConfigureAwait(false);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _subscription, null) is { } subscription)
        {
            await subscription.DisposeAsync().ConfigureAwait(false);
        }
    }

    private void OnGap()
    {
        cache.Clear();
        AccessLog.CacheDropped(logger);
    }

    private void OnMessage(string message)
    {
        string? reason = null, keyId = null, userId = null, planId = null;
        try
        {
            using var document = JsonDocument.Parse(message);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                reason = Text(document.RootElement, "reason");
                keyId = Text(document.RootElement, "keyId");
                userId = Text(document.RootElement, "userId");
                planId = Text(document.RootElement, "planId");
            }
        }
        catch (JsonException)
        {
        }

        if (keyId is null && userId is null && planId is null)
        {
            // Something changed that we cannot place: forgetting everything is always safe.
            AccessLog.BadInvalidation(logger);
            cache.Clear();
            return;
        }

        var removed = cache.Evict(keyId, userId, planId);
        AccessLog.Evicted(logger, removed, reason, keyId, userId, planId);
    }

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 and <= 200 } text ? text : null;
}
