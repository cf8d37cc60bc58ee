using System.Globalization;

namespace McpPlatform.Stores.Events;

/// <summary>Redis stream entry ids: <c>milliseconds-sequence</c>, ordered by milliseconds then sequence.</summary>
internal readonly record struct EntryIds(long Milliseconds, long Sequence) : IComparable<EntryIds>
{
    public static bool TryParse(string? text, out EntryIds id)
    {
        id = default;
        if (string.IsNullOrEmpty(text) || text.Length > 41)
        {
            return false;
        }

        var dash = text.IndexOf('-', StringComparison.Ordinal);
        if (dash <= 0
            || !long.TryParse(text.AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out var ms)
            || !long.TryParse(text.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var seq))
        {
            return false;
        }

        id = new EntryIds(ms, seq);
        return true;
    }

    public static EntryIds Parse(string text) =>
        TryParse(text, out var id) ? id : throw new ArgumentException($"'{text}' is not a stream entry id (milliseconds-sequence).", nameof(text));

    public int CompareTo(EntryIds other) => Milliseconds != other.Milliseconds ? Milliseconds.CompareTo(other.Milliseconds) : Sequence.CompareTo(other.Sequence);

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Milliseconds}-{Sequence}");
}
