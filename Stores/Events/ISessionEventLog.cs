namespace McpPlatform.Stores.Events;

/// <summary>
/// Per-session, per-stream logs of server-to-client messages (Redis Streams): any replica can append, replay after a
/// <c>Last-Event-ID</c>, or wait for what comes next. Entry ids are ordered and, with <see cref="SseEventId"/>, are the
/// SSE event ids.
/// </summary>
public interface ISessionEventLog
{
    /// <summary>Appends a message to a session's stream and returns its entry id. The stream is capped (about
    /// <see cref="StoreOptions.EventLogMaxLength"/> entries) and expires <see cref="StoreOptions.EventLogRetention"/> after its last append.</summary>
    ValueTask<string> AppendAsync(string sessionId, string stream, ReadOnlyMemory<byte> message, CancellationToken cancellationToken = default);

    /// <summary>
    /// Appends a message to a request's own stream (the SSE answer of one POST) with the caller's entry id, which must be
    /// greater than the stream's last: the gateway hands the id to the client before the message could be lost, so the
    /// id cannot wait for the store to pick it. The stream is capped like the others, is not indexed under the session
    /// (so it costs the session nothing once it ends) and expires <see cref="StoreOptions.RequestStreamRetention"/>
    /// after its last append.
    /// </summary>
    ValueTask AppendWithIdAsync(string sessionId, string stream, string entryId, ReadOnlyMemory<byte> message, CancellationToken cancellationToken = default);

    /// <summary>Reads up to <paramref name="maxCount"/> events after <paramref name="afterId"/> (null: from the start) without waiting.</summary>
    ValueTask<EventReadResult> ReadAfterAsync(string sessionId, string stream, string? afterId, int maxCount, CancellationToken cancellationToken = default);

    /// <summary>As <see cref="ReadAfterAsync"/>, but when nothing is there yet waits up to <paramref name="wait"/> for the next
    /// append (on a dedicated connection, never stalling other callers); an empty result means nothing came.</summary>
    ValueTask<EventReadResult> WaitAfterAsync(string sessionId, string stream, string? afterId, int maxCount, TimeSpan wait, CancellationToken cancellationToken = default);

    /// <summary>Drops events older than <paramref name="maxAge"/> and all but the newest <paramref name="maxLength"/>; returns how many were dropped.</summary>
    ValueTask<long> TrimAsync(string sessionId, string stream, TimeSpan maxAge, int maxLength, CancellationToken cancellationToken = default);

    /// <summary>Deletes every stream of a session (when the session ends); requests' own streams expire by themselves.</summary>
    ValueTask DeleteSessionAsync(string sessionId, CancellationToken cancellationToken = default);
}
