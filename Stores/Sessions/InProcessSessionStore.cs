using Microsoft.Extensions.Options;

namespace McpPlatform.Stores.Sessions;

/// <summary>The single-node twin of <see cref="RedisSessionStore"/>: the same rules, under one lock.</summary>
internal sealed class InProcessSessionStore(TimeProvider time, IOptions<StoreOptions> options) : ISessionStore
{
    private readonly Dictionary<string, Entry> _sessions = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private readonly TimeSpan _idle = options.Value.SessionIdleTimeout;

    public ValueTask<bool> CreateAsync(SessionRecord session, CancellationToken cancellationToken = default)
    {
        SessionStoreArguments.Validate(session);
        lock (_lock)
        {
            var now = Now();
            Sweep(now);
            if (_sessions.ContainsKey(session.Id))
            {
                return ValueTask.FromResult(false);
            }

            var copy = session with { Attributes = new Dictionary<string, string>(session.Attributes, StringComparer.Ordinal) };
            _sessions[session.Id] = new Entry(copy, now + _idle);
            return ValueTask.FromResult(true);
        }
    }

    public ValueTask<SessionLookup> GetAsync(string sessionId, string principal, CancellationToken cancellationToken = default)
    {
        SessionStoreArguments.Validate(sessionId, principal);
        lock (_lock)
        {
            var status = Find(sessionId, principal, out var entry);
            if (status != SessionLookupStatus.Found)
            {
                return ValueTask.FromResult(new SessionLookup(status, null));
            }

            entry!.ExpiresAt = Now() + _idle;
            var snapshot = entry.Session with { Attributes = new Dictionary<string, string>(entry.Session.Attributes, StringComparer.Ordinal) };
            return ValueTask.FromResult(new SessionLookup(SessionLookupStatus.Found, snapshot));
        }
    }

    public ValueTask<bool> SetAttributeAsync(string sessionId, string principal, string name, string value, CancellationToken cancellationToken = default)
    {
        SessionStoreArguments.Validate(sessionId, principal);
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(value);
        lock (_lock)
        {
            if (Find(sessionId, principal, out var entry) != SessionLookupStatus.Found)
            {
                return ValueTask.FromResult(false);
            }

            ((Dictionary<string, string>)entry!.Session.Attributes)[name] = value;
            entry.ExpiresAt = Now() + _idle;
            return ValueTask.FromResult(true);
        }
    }

    public ValueTask<bool> DeleteAsync(string sessionId, string principal, CancellationToken cancellationToken = default)
    {
        SessionStoreArguments.Validate(sessionId, principal);
        lock (_lock)
        {
            return ValueTask.FromResult(Find(sessionId, principal, out _) == SessionLookupStatus.Found && _sessions.Remove(sessionId));
        }
    }

    public ValueTask<long> CountAsync(string principal, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(principal);
        lock (_lock)
        {
            var now = Now();
            return ValueTask.FromResult((long)_sessions.Values.Count(entry => entry.ExpiresAt > now && entry.Session.Principal == principal));
        }
    }

    private SessionLookupStatus Find(string sessionId, string principal, out Entry? entry)
    {
        if (!_sessions.TryGetValue(sessionId, out entry) || entry.ExpiresAt <= Now())
        {
            entry = null;
            return SessionLookupStatus.NotFound;
        }

        return entry.Session.Principal == principal ? SessionLookupStatus.Found : SessionLookupStatus.OtherPrincipal;
    }

    private void Sweep(TimeSpan now)
    {
        foreach (var (id, entry) in _sessions)
        {
            if (entry.ExpiresAt <= now)
            {
                _sessions.Remove(id);
            }
        }
    }

    private TimeSpan Now() => time.GetElapsedTime(0);

    private sealed class Entry(SessionRecord session, TimeSpan expiresAt)
    {
        public SessionRecord Session { get; } = session;

        public TimeSpan ExpiresAt { get; set; } = expiresAt;
    }
}
