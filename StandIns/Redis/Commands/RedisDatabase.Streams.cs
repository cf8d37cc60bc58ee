namespace McpPlatform.Redis;

public sealed partial class RedisDatabase
{
    /// <summary>
    /// XADD: appends an entry and returns its id. With <paramref name="maxLength"/> the stream is capped in the same
    /// command (<c>MAXLEN ~ n</c> when <paramref name="approximate"/>, which is much cheaper for Redis).
    /// </summary>
    public async ValueTask<string> StreamAddAsync(string key, IReadOnlyList<KeyValuePair<string, RedisValue>> fields, long? maxLength = null, bool approximate = true, string id = "*", CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(fields);
        ArgumentException.ThrowIfNullOrEmpty(id);
        if (fields.Count == 0)
        {
            throw new ArgumentException("A stream entry needs at least one field.", nameof(fields));
        }

        var args = new List<RedisValue>(6 + (fields.Count * 2)) { key };
        if (maxLength is { } max)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(max, nameof(maxLength));
            args.Add("MAXLEN");
            args.Add(approximate ? "~" : "=");
            args.Add(max);
        }

        args.Add(id);
        foreach (var (field, value) in fields)
        {
            args.Add(field);
            args.Add(value);
        }

        return (await Send("XADD", [.. args], idempotent: false, cancellationToken).ConfigureAwait(false)).Value.ToString();
    }

    /// <summary>XRANGE: entries from <paramref name="start"/> to <paramref name="end"/> (inclusive; prefix an id with "(" to exclude it).</summary>
    public async ValueTask<StreamEntry[]> StreamRangeAsync(string key, string start = "-", string end = "+", int? count = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        RedisValue[] args = count is { } n ? [key, start, end, "COUNT", n] : [key, start, end];
        var reply = await Send("XRANGE", args, idempotent: true, cancellationToken).ConfigureAwait(false);
        return ParseEntries(reply);
    }

    /// <summary>
    /// XREAD: entries after <paramref name="afterId"/>. With <paramref name="block"/> it waits up to that long for
    /// new ones, on a dedicated connection (a blocking read never stalls the shared pipeline); an empty array means
    /// nothing arrived in time.
    /// </summary>
    public async ValueTask<StreamEntry[]> StreamReadAsync(string key, string afterId, int? count = null, TimeSpan? block = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentException.ThrowIfNullOrEmpty(afterId);
        var args = new List<RedisValue>(8);
        if (count is { } n)
        {
            args.Add("COUNT");
            args.Add(n);
        }

        if (block is { } wait)
        {
            args.Add("BLOCK");
            args.Add(Math.Max(1, (long)wait.TotalMilliseconds));
        }

        args.Add("STREAMS");
        args.Add(key);
        args.Add(afterId);
        var reply = block is { } timeout
            ? await ExecuteBlockingAsync("XREAD", [.. args], timeout, cancellationToken).ConfigureAwait(false)
            : await Send("XREAD", [.. args], idempotent: true, cancellationToken).ConfigureAwait(false);
        if (reply.IsNull || reply.Items.Count == 0)
        {
            return [];
        }

        // RESP3 answers a map {key: entries}; RESP2 an array [[key, entries]].
        var entries = reply.Type == RedisResultType.Map ? reply[1] : reply[0][1];
        return ParseEntries(entries);
    }

    /// <summary>XTRIM MAXLEN: keeps the newest <paramref name="maxLength"/> entries (about that many when <paramref name="approximate"/>); returns how many were removed.</summary>
    public async ValueTask<long> StreamTrimAsync(string key, long maxLength, bool approximate = true, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentOutOfRangeException.ThrowIfNegative(maxLength);
        return (await Send("XTRIM", [key, "MAXLEN", approximate ? "~" : "=", maxLength], idempotent: true, cancellationToken).ConfigureAwait(false)).ToInt64();
    }

    /// <summary>XTRIM MINID: removes entries whose id is lower than <paramref name="minId"/> (trim by age: ids start with milliseconds); returns how many were removed.</summary>
    public async ValueTask<long> StreamTrimByMinIdAsync(string key, string minId, bool approximate = true, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentException.ThrowIfNullOrEmpty(minId);
        return (await Send("XTRIM", [key, "MINID", approximate ? "~" : "=", minId], idempotent: true, cancellationToken).ConfigureAwait(false)).ToInt64();
    }

    /// <summary>XLEN.</summary>
    public async ValueTask<long> StreamLengthAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        return (await Send("XLEN", [key], idempotent: true, cancellationToken).ConfigureAwait(false)).ToInt64();
    }

    internal static StreamEntry[] ParseEntries(RedisResult reply)
    {
        var result = new StreamEntry[reply.Items.Count];
        for (var i = 0; i < result.Length; i++)
        {
            var entry = reply[i];
            result[i] = new StreamEntry(entry[0].Value.ToString(), ReplyShapes.ToPairs(entry[1]));
        }

        return result;
    }
}
