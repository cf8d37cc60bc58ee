namespace McpPlatform.Stores.Sessions;

internal static class SessionStoreArguments
{
    public static void Validate(SessionRecord session)
    {
        ArgumentNullException.ThrowIfNull(session);
        Validate(session.Id, session.Principal);
        foreach (var (name, value) in session.Attributes)
        {
            ArgumentException.ThrowIfNullOrEmpty(name, nameof(session));
            ArgumentNullException.ThrowIfNull(value, nameof(session));
        }
    }

    public static void Validate(string sessionId, string principal)
    {
        if (!SessionIds.IsWellFormed(sessionId))
        {
            throw new ArgumentException("A session id is 1 to 128 visible ASCII characters.", nameof(sessionId));
        }

        ArgumentException.ThrowIfNullOrEmpty(principal);
    }
}
