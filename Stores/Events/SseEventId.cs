namespace McpPlatform.Stores.Events;

/// <summary>
/// SSE event ids that name their stream, so a <c>Last-Event-ID</c> alone tells any replica which stream to resume
/// and from where: <c>&lt;stream&gt;/&lt;entry id&gt;</c>, e.g. <c>get/1700000000000-0</c>.
/// </summary>
public static class SseEventId
{
    /// <summary>The SSE event id of an entry of <paramref name="stream"/>.</summary>
    public static string Format(string stream, string entryId)
    {
        StreamNames.Validate(stream);
        EntryIds.Parse(entryId);
        return stream + "/" + entryId;
    }

    /// <summary>Reads a <c>Last-Event-ID</c>; false for anything malformed (client input: never trust it).</summary>
    public static bool TryParse(string? eventId, out string stream, out string entryId)
    {
        stream = entryId = string.Empty;
        var slash = eventId?.IndexOf('/', StringComparison.Ordinal) ?? -1;
        if (slash <= 0)
        {
            return false;
        }

        var candidateStream = eventId![..slash];
        var candidateEntry = eventId[(slash + 1)..];
        if (!StreamNames.IsValid(candidateStream) || !EntryIds.TryParse(candidateEntry, out _))
        {
            return false;
        }

        stream = candidateStream;
        entryId = candidateEntry;
        return true;
    }
}
