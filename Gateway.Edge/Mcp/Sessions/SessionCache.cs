using System.Collections.Concurrent;
using McpPlatform.Stores.Sessions;
using Microsoft.Extensions.Options;

namespace McpPlatform.Gateway.Edge.Mcp.Sessions;

/// <summary>
/// The session store behind a short per-replica cache: a session used many times a second costs one store round trip
/// per <see cref="McpOptions.SessionCacheTime"/> (default 1 s), and a session deleted on another replica stays usable
/// here at most that long. Only found sessions are cached; a miss always asks the store.
/// </summary>
internal sealed class SessionCache(ISessionStore store, IOptions<McpOptions> options, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private long _lastSweep;

    public async ValueTask<SessionLookup> GetAsync(string sessionId, string principal, CancellationToken cancellationToken)
    {
        var now = time.GetTimestamp();
        if (_entries.TryGetValue(sessionId, out var entry) && time.GetElapsedTime(entry.At, now) < options.Value.SessionCacheTime)
        {
            // Never answer from the cache for another principal: the store decides (and says OtherPrincipal).
            if (string.Equals(entry.Session.Principal, principal, StringComparison.Ordinal))
            {
                return new SessionLookup(SessionLookupStatus.Found, entry.Session);
            }
        }

        var lookup = await store.GetAsync(sessionId, principal, cancellationToken).ConfigureAwait(false);
        if (lookup.Status == SessionLookupStatus.Found && options.Value.SessionCacheTime > TimeSpan.Zero)
        {
            _entries[sessionId] = new Entry(lookup.Session!, now);
            SweepNowAndThen(now);
        }
        else
        {
            _entries.TryRemove(sessionId, out _);
        }

        return lookup;
    }

    public async ValueTask<bool> CreateAsync(SessionRecord session, CancellationToken cancellationToken)
    {
        var created = await store.CreateAsync(session, cancellationToken).ConfigureAwait(false);
        if (created)
        {
            _entries[session.Id] = new Entry(session, time.GetTimestamp());
        }

        return created;
    }

    public ValueTask<bool> DeleteAsync(string sessionId, string principal, CancellationToken cancellationToken)
    {
        _entries.TryRemove(sessionId, out _);
        return store.DeleteAsync(sessionId, principal, cancellationToken);
    }

    /// <summary>Forgets this replica's copy (the session ended here).</summary>
    public void Forget(string sessionId) => _entries.TryRemove(sessionId, out _);

    /// <summary>Drops stale entries now and then, so the cache holds only recently used sessions.</summary>
    private void SweepNowAndThen(long now)
    {
        var last = Interlocked.Read(ref _lastSweep);
        if (time.GetElapsedTime(last, now) < TimeSpan.FromSeconds(30) || Interlocked.CompareExchange(ref _lastSweep, now, last) != last)
        {
            return;
        }

        foreach (var (id, entry) in _entries)
        {
            if (time.GetElapsedTime(entry.At, now) >= options.Value.SessionCacheTime)
            {
                _entries.TryRemove(id, out _);
            }
        }
    }

    private readonly record struct Entry(SessionRecord Session, long At);
}
