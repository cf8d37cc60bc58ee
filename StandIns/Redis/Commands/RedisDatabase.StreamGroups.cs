namespace McpPlatform.Redis;

public sealed partial class RedisDatabase
{
    /// <summary>XGROUP CREATE … MKSTREAM: creates a consumer group; false when it already exists (BUSYGROUP).</summary>
    /// <param name="key">The stream.</param>
    /// <param name="group">The group name.</param>
    /// <param name="startId">Where the group starts: "$" (only new entries, the default) or "0" (everything).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async ValueTask<bool> StreamCreateGroupAsync(string key, string group, string startId = "$", CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentException.ThrowIfNullOrEmpty(group);
        ArgumentException.ThrowIfNullOrEmpty(startId);
        try
        {
            await Send("XGROUP", ["CREATE", key, group, startId, "MKSTREAM"], idempotent: false, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RedisServerException error) when (error.ErrorPrefix == "BUSYGROUP")
        {
            return false;
        }
    }

    /// <summary>
    /// XREADGROUP: entries for <paramref name="consumer"/>; with the default id "&gt;" only entries never delivered to
    /// the group, with "0" this consumer's pending ones. With <paramref name="block"/> it waits on a dedicated connection.
    /// Entries stay pending until <see cref="StreamAcknowledgeAsync"/>.
    /// </summary>
    public async ValueTask<StreamEntry[]> StreamReadGroupAsync(string key, string group, string consumer, int count, TimeSpan? block = null, string id = ">", CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentException.ThrowIfNullOrEmpty(group);
        ArgumentException.ThrowIfNullOrEmpty(consumer);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var args = new List<RedisValue> { "GROUP", group, consumer, "COUNT", count };
        if (block is { } wait)
        {
            args.Add("BLOCK");
            args.Add(Math.Max(1, (long)wait.TotalMilliseconds));
        }

        args.Add("STREAMS");
        args.Add(key);
        args.Add(id);
        var reply = block is { } timeout
            ? await ExecuteBlockingAsync("XREADGROUP", [.. args], timeout, cancellationToken).ConfigureAwait(false)
            : await Send("XREADGROUP", [.. args], idempotent: false, cancellationToken).ConfigureAwait(false);
        if (reply.IsNull || reply.Items.Count == 0)
        {
            return [];
        }

        return ParseEntries(reply.Type == RedisResultType.Map ? reply[1] : reply[0][1]);
    }

    /// <summary>XACK: marks entries as processed by the group; returns how many were pending.</summary>
    public async ValueTask<long> StreamAcknowledgeAsync(string key, string group, IReadOnlyCollection<string> ids, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentException.ThrowIfNullOrEmpty(group);
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.Count == 0)
        {
            return 0;
        }

        RedisValue[] args = [key, group, .. ids.Select(id => (RedisValue)id)];
        return (await Send("XACK", args, idempotent: true, cancellationToken).ConfigureAwait(false)).ToInt64();
    }

    /// <summary>
    /// XAUTOCLAIM: takes over entries pending longer than <paramref name="minIdle"/> (their consumer crashed) for
    /// <paramref name="consumer"/>; returns them and the id to continue scanning from ("0-0" when done).
    /// </summary>
    public async ValueTask<(StreamEntry[] Entries, string NextStartId)> StreamAutoClaimAsync(string key, string group, string consumer, TimeSpan minIdle, int count = 100, string startId = "0-0", CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentException.ThrowIfNullOrEmpty(group);
        ArgumentException.ThrowIfNullOrEmpty(consumer);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var reply = await Send("XAUTOCLAIM", [key, group, consumer, Math.Max(0, (long)minIdle.TotalMilliseconds), startId, "COUNT", count], idempotent: false, cancellationToken).ConfigureAwait(false);

        // Entries deleted meanwhile come back as nil (Redis 6.2) or in a third list (Redis 7): skip them.
        var entries = reply[1].Items.Where(entry => entry.IsAggregate && !entry[1].IsNull).ToArray();
        return (entries.Select(entry => new StreamEntry(entry[0].Value.ToString(), ReplyShapes.ToPairs(entry[1]))).ToArray(), reply[0].Value.ToString());
    }
}
