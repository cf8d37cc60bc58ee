using System.Collections.Concurrent;

namespace McpPlatform.Dispatcher.Grpc.Relay;

/// <summary>
/// The Session streams this replica relays, so that a new session that finds no free slot can take the slot of one
/// whose client has gone quiet. Streamable HTTP clients often leave without DELETE (the TypeScript SDK's
/// <c>close()</c> only drops its connections), and their sessions would otherwise hold their slots until the idle
/// timeout (the gateway asks for 30 min) while new clients are turned away. The client of a reclaimed session gets
/// 404 on its next request and initializes again, as after any end of a session.
/// </summary>
internal sealed partial class SessionDirectory(TimeProvider time, ILogger logger)
{
    private readonly ConcurrentDictionary<LiveSession, byte> _sessions = new();

    public LiveSession Add(string server, string sessionId)
    {
        var session = new LiveSession(server, sessionId, time.GetTimestamp());
        _sessions.TryAdd(session, 0);
        return session;
    }

    public void Remove(LiveSession session) => _sessions.TryRemove(session, out _);

    /// <summary>
    /// Ends the session of <paramref name="server"/> that has been silent longest, if it waits for no answer and has
    /// been silent at least <paramref name="quietFor"/>; false when there is none.
    /// </summary>
    public bool ReclaimOne(string server, TimeSpan quietFor)
    {
        while (true)
        {
            LiveSession? quietest = null;
            foreach (var session in _sessions.Keys)
            {
                if (session.Server == server && session.WaitsForNothing && time.GetElapsedTime(session.LastActivity) >= quietFor
                    && (quietest is null || session.LastActivity < quietest.LastActivity))
                {
                    quietest = session;
                }
            }

            if (quietest is null)
            {
                return false;
            }

            _sessions.TryRemove(quietest, out _);
            var silent = time.GetElapsedTime(quietest.LastActivity);
            if (quietest.TryReclaim($"Closed after {silent.TotalSeconds:0.#} s without traffic: a new session needed its slot."))
            {
                SessionReclaimed(logger, quietest.SessionId, server, silent.TotalSeconds);
                return true;
            }

            // Another new session reclaimed it at the same moment: look for the next one.
        }
    }

    [LoggerMessage(30, LogLevel.Information, "Session {SessionId} on {Server} reclaimed after {SilentSeconds:0.#} s without traffic: a new session had no free slot")]
    private static partial void SessionReclaimed(ILogger logger, string sessionId, string server, double silentSeconds);
}
