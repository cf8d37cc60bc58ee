using McpPlatform.Stores.Events;

namespace McpPlatform.Gateway.Edge.Mcp.Sse;

/// <summary>
/// Where a POST's SSE answer is kept so that a client who lost the connection can resume it with GET +
/// <c>Last-Event-ID</c> on any replica: the session's event log, one stream per POST (its random name), each entry
/// under the id the client saw. Every event is appended before it is written, so any id a client holds is readable.
/// The priming event is logged empty (the stream exists as soon as the client has an id); after the response an empty
/// end marker tells a resumer holding the response's own id that nothing more comes. A failed append is logged once and
/// ends logging for the stream (a replay with a hole is worse than none); the live answer goes on regardless.
/// </summary>
internal sealed class PostStreamLog(ISessionEventLog events, string sessionId, ILogger<PostStreamLog> logger, CancellationToken stopping)
{
    private bool _failed;

    /// <summary>Resolved only when a POST switches to SSE: a JSON answer never pays for it.</summary>
    public static PostStreamLog Create(IServiceProvider services, string sessionId) => new(
        services.GetRequiredService<ISessionEventLog>(),
        sessionId,
        services.GetRequiredService<ILogger<PostStreamLog>>(),
        services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping);

    /// <summary>An empty entry after the stream's first: the end marker (PostStream's first id always ends in "-0").</summary>
    public static bool IsEndMarker(SessionEvent item) => item.Message.IsEmpty && !item.Id.EndsWith("-0", StringComparison.Ordinal);

    /// <summary>Appends one event (a client leaving does not stop it: only the gateway stopping does).</summary>
    public async ValueTask AppendAsync(string stream, string entryId, ReadOnlyMemory<byte> message)
    {
        if (_failed)
        {
            return;
        }

        try
        {
            await events.AppendWithIdAsync(sessionId, stream, entryId, message, stopping).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // Redis down or the gateway stopping: the stream stays answerable live, it just cannot be resumed.
            _failed = true;
            SseLog.PostStreamNotLogged(logger, sessionId, stream, ex);
        }
    }
}
