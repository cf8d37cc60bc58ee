namespace McpPlatform.Redis;

public sealed partial class RedisDatabase
{
    /// <summary>SADD of one member; true when it is new.</summary>
    public async ValueTask<bool> SetAddAsync(string key, RedisValue member, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        return (await Send("SADD", [key, member], idempotent: true, cancellationToken).ConfigureAwait(false)).ToInt64() == 1;
    }

    /// <summary>SREM of one member; true when it was there.</summary>
    public async ValueTask<bool> SetRemoveAsync(string key, RedisValue member, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        return (await Send("SREM", [key, member], idempotent: false, cancellationToken).ConfigureAwait(false)).ToInt64() == 1;
    }

    /// <summary>SISMEMBER.</summary>
    public async ValueTask<bool> SetContainsAsync(string key, RedisValue member, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        return (await Send("SISMEMBER", [key, member], idempotent: true, cancellationToken).ConfigureAwait(false)).ToInt64() == 1;
    }

    /// <summary>SMEMBERS.</summary>
    public async ValueTask<RedisValue[]> SetMembersAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        var reply = await Send("SMEMBERS", [key], idempotent: true, cancellationToken).ConfigureAwait(false);
        return ReplyShapes.ToValues(reply);
    }

    /// <summary>SCARD.</summary>
    public async ValueTask<long> SetLengthAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        return (await Send("SCARD", [key], idempotent: true, cancellationToken).ConfigureAwait(false)).ToInt64();
    }
}
