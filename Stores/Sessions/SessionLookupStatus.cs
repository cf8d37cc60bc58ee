namespace McpPlatform.Stores.Sessions;

/// <summary>What a session lookup found.</summary>
public enum SessionLookupStatus
{
    /// <summary>The session exists and belongs to the caller; its idle timer was reset.</summary>
    Found,

    /// <summary>No such session (never created, expired or deleted).</summary>
    NotFound,

    /// <summary>The session exists but belongs to another principal. Answer it as <see cref="NotFound"/> to the client, so ids cannot be probed.</summary>
    OtherPrincipal,
}
