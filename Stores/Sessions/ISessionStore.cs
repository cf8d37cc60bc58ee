namespace McpPlatform.Stores.Sessions;

/// <summary>
/// MCP session records shared by every gateway replica, with sliding expiry, bound to the principal that created
/// them: every read and change names the principal, and another principal's session is never returned, extended or
/// changed.
/// </summary>
public interface ISessionStore
{
    /// <summary>Stores a new session; false if the id is already taken.</summary>
    ValueTask<bool> CreateAsync(SessionRecord session, CancellationToken cancellationToken = default);

    /// <summary>Finds a session for <paramref name="principal"/> and, when it is theirs, resets its idle timer.</summary>
    ValueTask<SessionLookup> GetAsync(string sessionId, string principal, CancellationToken cancellationToken = default);

    /// <summary>Sets one attribute of the principal's session (and resets its idle timer); false when it is not theirs or gone.</summary>
    ValueTask<bool> SetAttributeAsync(string sessionId, string principal, string name, string value, CancellationToken cancellationToken = default);

    /// <summary>Ends the principal's session (DELETE /mcp); false when it is not theirs or gone.</summary>
    ValueTask<bool> DeleteAsync(string sessionId, string principal, CancellationToken cancellationToken = default);

    /// <summary>How many live sessions <paramref name="principal"/> has (for a plan's maximum open sessions).</summary>
    ValueTask<long> CountAsync(string principal, CancellationToken cancellationToken = default);
}
