using McpPlatform.Redis;
using Microsoft.Extensions.Options;

namespace McpPlatform.Stores.RateLimiting;

/// <summary>
/// GCRA in one Lua script, one round trip per decision. Time is the Redis server's (TIME), so replicas with
/// skewed clocks still agree. The key holds the "theoretical arrival time" and expires when the bucket is full.
/// </summary>
internal sealed class RedisRateLimiter(RedisMultiplexer redis, IOptions<StoreOptions> options) : IRateLimiter
{
    // ARGV: emission interval (µs), burst, permits. Returns {allowed, retry-after µs, remaining}.
    internal static readonly RedisScript Gcra = new("""
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
        local emission = tonumber(ARGV[1])
        local tolerance = emission * tonumber(ARGV[2])
        local tat = tonumber(redis.call('GET', KEYS[1]) or now)
        if tat < now then tat = now end
        local new_tat = tat + emission * tonumber(ARGV[3])
        local allow_at = new_tat - tolerance
        if allow_at > now then
          return {0, math.ceil(allow_at - now), math.floor((tolerance - (tat - now)) / emission)}
        end
        redis.call('SET', KEYS[1], string.format('%.0f', new_tat), 'PX', math.ceil((new_tat - now) / 1000) + 1)
        return {1, 0, math.floor((tolerance - (new_tat - now)) / emission)}
        """);

    private readonly RedisDatabase _db = redis.GetDatabase();
    private readonly string _prefix = options.Value.KeyPrefix + "rl:";

    public async ValueTask<RateLimitDecision> AcquireAsync(string key, RateLimitPolicy policy, int permits = 1, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentOutOfRangeException.ThrowIfLessThan(permits, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(permits, policy.Burst);
        var reply = await _db.ScriptEvaluateAsync(Gcra, [_prefix + key], [policy.EmissionMicroseconds, policy.Burst, permits], cancellationToken).ConfigureAwait(false);
        return new RateLimitDecision(reply[0].ToInt64() == 1, TimeSpan.FromMicroseconds(reply[1].ToInt64()), Math.Max(0, reply[2].ToInt64()));
    }
}
