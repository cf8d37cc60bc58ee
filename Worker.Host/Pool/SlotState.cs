namespace McpPlatform.Worker.Host.Pool;

/// <summary>Where a slot's current process is in its life.</summary>
internal enum SlotState
{
    Starting,
    Ready,
    Backoff,
    Stopped,
}
