using McpPlatform.Stores.Sessions;

namespace McpPlatform.Stores.Events;

internal static class EventLogArguments
{
    public const int MaxReadCount = 10_000;

    public static void Validate(string sessionId, string stream)
    {
        if (!SessionIds.IsWellFormed(sessionId))
        {
            throw new ArgumentException("A session id is 1 to 128 visible ASCII characters.", nameof(sessionId));
        }

        StreamNames.Validate(stream);
    }

    public static void Validate(string sessionId, string stream, string entryId)
    {
        Validate(sessionId, stream);
        if (!EntryIds.TryParse(entryId, out var id) || id == default)
        {
            throw new ArgumentException($"'{entryId}' is not an entry id above 0-0 (milliseconds-sequence).", nameof(entryId));
        }
    }

    public static void Validate(string sessionId, string stream, string? afterId, int maxCount)
    {
        Validate(sessionId, stream);
        if (afterId is not null && !EntryIds.TryParse(afterId, out _))
        {
            throw new ArgumentException($"'{afterId}' is not an entry id (milliseconds-sequence); parse Last-Event-ID with SseEventId.TryParse first.", nameof(afterId));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(maxCount, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxCount, MaxReadCount);
    }

    public static void ValidateTrim(TimeSpan maxAge, int maxLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxAge, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfNegative(maxLength);
    }
}
