using McpPlatform.Redis;
using McpPlatform.Stores;
using Microsoft.Extensions.Options;

namespace McpPlatform.Gateway.Edge.Access.Policy;

/// <summary>
/// One Redis counter per subject and month (<c>{prefix}quota:{subject}:{yyyy-MM}</c>), checked and incremented in one
/// script so replicas never overshoot together; it expires a day after the month ends.
/// </summary>
internal sealed class RedisQuotaCounter(RedisMultiplexer redis, IOptions<StoreOptions> options) : IQuotaCounter
{
    // KEYS: counter. ARGV: limit, expiry (unix ms). Returns {allowed, used}.
    private static readonly RedisScript Consume = new("""
        local used = redis.call('INCR', KEYS[1])
        if used == 1 then redis.call('PEXPIREAT', KEYS[1], ARGV[2]) end
        if used > tonumber(ARGV[1]) then
          redis.call('DECR', KEYS[1])
          return {0, used - 1}
        end
        return {1, used}
        """);

    private readonly string _prefix = options.Value.KeyPrefix + "quota:";

    public async ValueTask<(bool Allowed, long Used)> TryConsumeAsync(string subject, long limit, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var key = $"{_prefix}{subject}:{QuotaPeriod.Name(now)}";
        var expiry = QuotaPeriod.ResetsAt(now).AddDays(1).ToUnixTimeMilliseconds();
        var reply = await redis.GetDatabase().ScriptEvaluateAsync(Consume, [key], [limit, expiry], cancellationToken).ConfigureAwait(false);
        return (reply[0].ToInt64() == 1, reply[1].ToInt64());
    }
}
