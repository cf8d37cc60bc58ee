using McpPlatform.Redis;
using McpPlatform.Stores;
using Microsoft.Extensions.Options;

namespace McpPlatform.Gateway.Edge.Access.Policy;

/// <summary>
/// Rate limit (GCRA, as Stores' RedisRateLimiter: <c>{prefix}rl:{subject}</c> holds the theoretical arrival time, on
/// the Redis server's clock) and monthly quota (<c>{prefix}quota:{subject}:{yyyy-MM}</c>, expiring a day after the
/// month) in one Lua script: one round trip per call instead of two in a row, and both decided atomically, so a call
/// refused by one limit never consumes the other. The two keys live on one Redis (the platform runs no cluster).
/// </summary>
internal sealed class RedisCallLimiter(RedisMultiplexer redis, IOptions<StoreOptions> options) : ICallLimiter
{
    // KEYS: rate key, quota key. ARGV: emission interval µs (0: no rate limit), burst, quota limit (0: not counted),
    // quota expiry (unix ms). Returns {0 allowed | 1 rate limited | 2 quota exceeded, retry-after µs, quota used}.
    internal static readonly RedisScript Acquire = new("""
        local emission = tonumber(ARGV[1])
        local limit = tonumber(ARGV[3])
        local new_tat, now
        if emission > 0 then
          local t = redis.call('TIME')
          now = tonumber(t[1]) * 1000000 + tonumber(t[2])
          local tat = tonumber(redis.call('GET', KEYS[1]) or now)
          if tat < now then tat = now end
          new_tat = tat + emission
          local allow_at = new_tat - emission * tonumber(ARGV[2])
          if allow_at > now then
            return {1, math.ceil(allow_at - now), 0}
          end
        end
        local used = 0
        if limit > 0 then
          used = tonumber(redis.call('GET', KEYS[2]) or '0')
          if used >= limit then
            return {2, 0, used}
          end
          used = redis.call('INCR', KEYS[2])
          if used == 1 then redis.call('PEXPIREAT', KEYS[2], ARGV[4]) end
        end
        if emission > 0 then
          redis.call('SET', KEYS[1], string.format('%.0f', new_tat), 'PX', math.ceil((new_tat - now) / 1000) + 1)
        end
        return {0, 0, used}
        """);

    private readonly RedisDatabase _db = redis.GetDatabase();
    private readonly string _rate = options.Value.KeyPrefix + "rl:";
    private readonly string _quota = options.Value.KeyPrefix + "quota:";

    public async ValueTask<LimitDecision> AcquireAsync(CallLimits limits, CancellationToken cancellationToken)
    {
        var emission = limits.Rate is { } rate ? 1_000_000d / rate.PermitsPerSecond : 0d;
        var burst = limits.Rate?.Burst ?? 1;
        var quotaKey = $"{_quota}{limits.QuotaSubject}:{QuotaPeriod.Name(limits.Now)}";
        var expiry = QuotaPeriod.ResetsAt(limits.Now).AddDays(1).ToUnixTimeMilliseconds();
        var reply = await _db.ScriptEvaluateAsync(Acquire, [_rate + limits.RateSubject, quotaKey], [emission, burst, Math.Max(0, limits.QuotaLimit), expiry], cancellationToken).ConfigureAwait(false);
        var outcome = (LimitOutcome)reply[0].ToInt64();
        return new LimitDecision(outcome, TimeSpan.FromMicroseconds(reply[1].ToInt64()), reply[2].ToInt64());
    }
}
