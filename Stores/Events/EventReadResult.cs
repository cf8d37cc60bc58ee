namespace McpPlatform.Stores.Events;

/// <summary>Events read after a position.</summary>
/// <param name="Events">The events after the position, oldest first.</param>
/// <param name="IsContinuous">
/// True when nothing between the position and the first returned event can be missing: the position is still in the
/// stream, or is its last id. False when the position was trimmed away (or never belonged to this stream): the
/// client may have missed events, and the gateway decides whether to replay what is left or start fresh.
/// </param>
public sealed record EventReadResult(IReadOnlyList<SessionEvent> Events, bool IsContinuous)
{
    internal static readonly EventReadResult EmptyContinuous = new([], true);
}
