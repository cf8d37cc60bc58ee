using System.Collections.Concurrent;

namespace McpPlatform.Gateway.Edge.Mcp.Legacy;

/// <summary>The legacy streams this replica holds, so a POST that lands here skips the event log.</summary>
internal sealed class LegacySessionRegistry
{
    private readonly ConcurrentDictionary<string, LegacySession> _sessions = new(StringComparer.Ordinal);

    public void Add(LegacySession session) => _sessions[session.Id] = session;

    public void Remove(LegacySession session) => _sessions.TryRemove(new KeyValuePair<string, LegacySession>(session.Id, session));

    public LegacySession? Find(string sessionId) => _sessions.GetValueOrDefault(sessionId);
}
