namespace McpPlatform.Redis;

public sealed partial class RedisDatabase
{
    /// <summary>ZADD of one member; true when it is new (an existing member's score is updated).</summary>
    public async ValueTask<bool> SortedSetAddAsync(string key, RedisValue member, double score, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        return (await Send("ZADD", [key, score, member], idempotent: true, cancellationToken).ConfigureAwait(false)).ToInt64() == 1;
    }

    /// <summary>ZREM of one member; true when it was there.</summary>
    public async ValueTask<bool> SortedSetRemoveAsync(string key, RedisValue member, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        return (await Send("ZREM", [key, member], idempotent: false, cancellationToken).ConfigureAwait(false)).ToInt64() == 1;
    }

    /// <summary>ZSCORE: the member's score, or null when it is absent.</summary>
    public async ValueTask<double?> SortedSetScoreAsync(string key, RedisValue member, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        var reply = await Send("ZSCORE", [key, member], idempotent: true, cancellationToken).ConfigureAwait(false);
        return reply.IsNull ? null : reply.ToDouble();
    }

    /// <summary>ZCARD.</summary>
    public async ValueTask<long> SortedSetLengthAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        return (await Send("ZCARD", [key], idempotent: true, cancellationToken).ConfigureAwait(false)).ToInt64();
    }

    /// <summary>ZRANGE BYSCORE: members with <paramref name="min"/> ≤ score ≤ <paramref name="max"/>, lowest first.</summary>
    public async ValueTask<RedisValue[]> SortedSetRangeByScoreAsync(string key, double min = double.NegativeInfinity, double max = double.PositiveInfinity, long skip = 0, long take = -1, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        RedisValue[] args = skip == 0 && take < 0
            ? [key, min, max, "BYSCORE"]
            : [key, min, max, "BYSCORE", "LIMIT", skip, take];
        var reply = await Send("ZRANGE", args, idempotent: true, cancellationToken).ConfigureAwait(false);
        return ReplyShapes.ToValues(reply);
    }

    /// <summary>ZREMRANGEBYSCORE: removes members with <paramref name="min"/> ≤ score ≤ <paramref name="max"/>; returns how many.</summary>
    public async ValueTask<long> SortedSetRemoveRangeByScoreAsync(string key, double min, double max, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        return (await Send("ZREMRANGEBYSCORE", [key, min, max], idempotent: true, cancellationToken).ConfigureAwait(false)).ToInt64();
    }
}
