using System.Runtime.CompilerServices;

namespace McpPlatform.Redis;

public sealed partial class RedisDatabase
{
    /// <summary>GET: the value, or <see cref="RedisValue.Null"/> when the key does not exist.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<RedisValue> StringGetAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        return (await Send("GET", [key], idempotent: true, cancellationToken).ConfigureAwait(false)).Value;
    }

    /// <summary>SET with an optional expiry (PX) and condition (NX/XX); true when the value was set.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<bool> StringSetAsync(string key, RedisValue value, TimeSpan? expiry = null, SetCondition when = SetCondition.Always, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        RedisValue[] args = (expiry, when) switch
        {
            (null, SetCondition.Always) => [key, value],
            (null, _) => [key, value, when == SetCondition.NotExists ? "NX" : "XX"],
            (_, SetCondition.Always) => [key, value, "PX", Milliseconds(expiry.Value, nameof(expiry))],
            _ => [key, value, "PX", Milliseconds(expiry.Value, nameof(expiry)), when == SetCondition.NotExists ? "NX" : "XX"],
        };

        // A plain SET is idempotent (running it twice leaves the same state); a conditional one is not.
        var reply = await Send("SET", args, idempotent: when == SetCondition.Always, cancellationToken).ConfigureAwait(false);
        return !reply.IsNull;
    }

    /// <summary>INCRBY: adds <paramref name="by"/> (default 1) and returns the new value.</summary>
    public async ValueTask<long> StringIncrementAsync(string key, long by = 1, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        var reply = by == 1
            ? await Send("INCR", [key], idempotent: false, cancellationToken).ConfigureAwait(false)
            : await Send("INCRBY", [key, by], idempotent: false, cancellationToken).ConfigureAwait(false);
        return reply.ToInt64();
    }
}
