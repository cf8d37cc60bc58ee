namespace McpPlatform.Worker.Host.Pool;

/// <summary>
/// Receives the server messages related to one call (its <c>notifications/progress</c> with the client's
/// own token restored, and in shared/tenant mode the log notifications a single-call slot emits while the
/// call runs), or the fan-out of <c>list_changed</c> notifications when subscribed to a server.
/// </summary>
/// <remarks>Called on the slot's stdout reader: copy what you need and return; never block.</remarks>
public interface IRelatedMessageSink
{
    void OnMessage(ReadOnlySpan<byte> json);
}
