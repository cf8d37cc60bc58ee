namespace McpPlatform.Redis;

public sealed partial class RedisDatabase
{
    /// <summary>HSET of one field; true when the field is new.</summary>
    public async ValueTask<bool> HashSetAsync(string key, string field, RedisValue value, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(field);
        return (await Send("HSET", [key, field, value], idempotent: true, cancellationToken).ConfigureAwait(false)).ToInt64() == 1;
    }

    /// <summary>HSET of several fields at once.</summary>
    public async ValueTask HashSetAsync(string key, IEnumerable<KeyValuePair<string, RedisValue>> fields, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(fields);
        var args = new List<RedisValue> { key };
        foreach (var (field, value) in fields)
        {
            args.Add(field);
            args.Add(value);
        }

        if (args.Count == 1)
        {
            return;
        }

        await Send("HSET", [.. args], idempotent: true, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>HGET: the field's value, or null.</summary>
    public async ValueTask<RedisValue> HashGetAsync(string key, string field, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(field);
        return (await Send("HGET", [key, field], idempotent: true, cancellationToken).ConfigureAwait(false)).Value;
    }

    /// <summary>HGETALL: every field (empty when the key does not exist).</summary>
    public async ValueTask<Dictionary<string, RedisValue>> HashGetAllAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        var reply = await Send("HGETALL", [key], idempotent: true, cancellationToken).ConfigureAwait(false);
        return ReplyShapes.ToDictionary(reply);
    }

    /// <summary>HDEL of one field; true when it existed.</summary>
    public async ValueTask<bool> HashDeleteAsync(string key, string field, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(field);
        return (await Send("HDEL", [key, field], idempotent: false, cancellationToken).ConfigureAwait(false)).ToInt64() == 1;
    }

    /// <summary>HINCRBY: adds <paramref name="by"/> to a field and returns the new value.</summary>
    public async ValueTask<long> HashIncrementAsync(string key, string field, long by = 1, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(field);
        return (await Send("HINCRBY", [key, field, by], idempotent: false, cancellationToken).ConfigureAwait(false)).ToInt64();
    }
}
