using McpPlatform.Contracts.Dispatch.V1;
using McpPlatform.Gateway.Edge.Mcp.Relay;
using Microsoft.Extensions.Options;

namespace McpPlatform.Gateway.Edge.Mcp.Catalog;

/// <summary>
/// The servers the dispatcher's workers registered (name, title, description, revision, isolation), cached for
/// <see cref="McpOptions.CatalogCacheTime"/>; one refresh in flight at a time. An unknown name triggers one early
/// refresh (at most every half second), so a server that just registered is not answered 404 for a whole period.
/// </summary>
internal sealed class ServerCatalog(DispatcherClient dispatcher, IOptions<McpOptions> options, TimeProvider time)
{
    private static readonly TimeSpan MinRefreshGap = TimeSpan.FromMilliseconds(500);
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private Snapshot _snapshot = new(new Dictionary<string, CatalogServer>(StringComparer.Ordinal), [], long.MinValue);

    /// <summary>The server, or null when no live worker hosts it.</summary>
    public async ValueTask<CatalogServer?> FindAsync(string name, CancellationToken cancellationToken)
    {
        var snapshot = await CurrentAsync(cancellationToken).ConfigureAwait(false);
        if (snapshot.ByName.TryGetValue(name, out var server))
        {
            return server;
        }

        if (time.GetElapsedTime(snapshot.LoadedAt) < MinRefreshGap)
        {
            return null;
        }

        snapshot = await RefreshAsync(snapshot, cancellationToken).ConfigureAwait(false);
        return snapshot.ByName.GetValueOrDefault(name);
    }

    /// <summary>Every server, by name.</summary>
    public async ValueTask<IReadOnlyList<CatalogServer>> ListAsync(CancellationToken cancellationToken) =>
        (await CurrentAsync(cancellationToken).ConfigureAwait(false)).All;

    private ValueTask<Snapshot> CurrentAsync(CancellationToken cancellationToken)
    {
        var snapshot = Volatile.Read(ref _snapshot);
        return snapshot.LoadedAt != long.MinValue && time.GetElapsedTime(snapshot.LoadedAt) < options.Value.CatalogCacheTime
            ? ValueTask.FromResult(snapshot)
            : new ValueTask<Snapshot>(RefreshAsync(snapshot, cancellationToken));
    }

    private async Task<Snapshot> RefreshAsync(Snapshot seen, CancellationToken cancellationToken)
    {
        await _refresh.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Another caller refreshed while this one waited: use theirs.
            var current = Volatile.Read(ref _snapshot);
            if (!ReferenceEquals(current, seen))
            {
                return current;
            }

            var response = await dispatcher.Catalog.ListServersAsync(new ListServersRequest(), deadline: DateTime.UtcNow.AddSeconds(10), cancellationToken: cancellationToken).ConfigureAwait(false);
            var byName = response.Servers.ToDictionary(s => s.Name, StringComparer.Ordinal);
            var fresh = new Snapshot(byName, [.. response.Servers], time.GetTimestamp());
            Volatile.Write(ref _snapshot, fresh);
            return fresh;
        }
        finally
        {
            _refresh.Release();
        }
    }

    private sealed record Snapshot(Dictionary<string, CatalogServer> ByName, IReadOnlyList<CatalogServer> All, long LoadedAt);
}
