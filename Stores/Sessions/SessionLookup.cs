namespace McpPlatform.Stores.Sessions;

/// <summary>The result of <see cref="ISessionStore.GetAsync"/>.</summary>
/// <param name="Status">What was found.</param>
/// <param name="Session">The record when <paramref name="Status"/> is <see cref="SessionLookupStatus.Found"/>; otherwise null.</param>
public readonly record struct SessionLookup(SessionLookupStatus Status, SessionRecord? Session);
