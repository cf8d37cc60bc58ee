namespace McpPlatform.Stores.Events;

/// <summary>One server-to-client message in a session's event stream.</summary>
/// <param name="Id">The stream entry id (<c>milliseconds-sequence</c>); with <see cref="SseEventId"/> it becomes the SSE event id.</param>
/// <param name="Message">The message bytes (a JSON-RPC message), unchanged.</param>
public sealed record SessionEvent(string Id, ReadOnlyMemory<byte> Message)
{
    /// <summary>When the event was appended (from the id's milliseconds).</summary>
    public DateTimeOffset Timestamp => DateTimeOffset.FromUnixTimeMilliseconds(EntryIds.Parse(Id).Milliseconds);
}
