namespace McpPlatform.Redis;

/// <summary>One entry of a Redis stream: its id (<c>milliseconds-sequence</c>) and its field/value pairs.</summary>
/// <param name="Id">The entry id, e.g. <c>1700000000000-0</c>.</param>
/// <param name="Fields">The entry's fields in the order they were added.</param>
public sealed record StreamEntry(string Id, IReadOnlyList<KeyValuePair<string, RedisValue>> Fields)
{
    /// <summary>The value of the first field named <paramref name="field"/>, or null.</summary>
    public RedisValue this[string field]
    {
        get
        {
            foreach (var pair in Fields)
            {
                if (pair.Key == field)
                {
                    return pair.Value;
                }
            }

            return RedisValue.Null;
        }
    }

    /// <summary>Reads an XRANGE-shaped reply (an array of [id, [field, value, …]]), e.g. one a script returned.</summary>
    public static StreamEntry[] FromReply(RedisResult reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        return RedisDatabase.ParseEntries(reply);
    }
}
