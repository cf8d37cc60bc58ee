using McpPlatform.Redis;
using Microsoft.Extensions.Options;

namespace McpPlatform.Stores.Concurrency;

/// <summary>
/// Leases in a sorted set per key (member: lease id, score: expiry in server milliseconds). Every script first
/// drops expired leases, which is how a crashed holder's slot is reclaimed.
/// </summary>
internal sealed class RedisConcurrencyLimiter(RedisMultiplexer redis, IOptions<StoreOptions> options) : IConcurrencyLimiter
{
    private const string Now = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
        """;

    private const string KeepKeyAlive = """
        if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[1]) then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
        """;

    // ARGV: lease ms, lease id, limit.
    private static readonly RedisScript Acquire = new(Now + "\n" + """
        if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then return 0 end
        redis.call('ZADD', KEYS[1], now + tonumber(ARGV[1]), ARGV[2])
        """ + "\n" + KeepKeyAlive + "\nreturn 1");

    // ARGV: lease ms, lease id.
    private static readonly RedisScript Renew = new(Now + "\n" + """
        if not redis.call('ZSCORE', KEYS[1], ARGV[2]) then return 0 end
        redis.call('ZADD', KEYS[1], 'XX', now + tonumber(ARGV[1]), ARGV[2])
        """ + "\n" + KeepKeyAlive + "\nreturn 1");

    private static readonly RedisScript Count = new(Now + "\nreturn redis.call('ZCARD', KEYS[1])");

    private readonly RedisDatabase _db = redis.GetDatabase();
    private readonly string _prefix = options.Value.KeyPrefix + "cc:";

    public async ValueTask<ConcurrencyLease?> TryAcquireAsync(string key, int limit, TimeSpan leaseTime, CancellationToken cancellationToken = default)
    {
        LeaseIds.Validate(key, limit, leaseTime);
        var id = LeaseIds.New();
        var reply = await _db.ScriptEvaluateAsync(Acquire, [_prefix + key], [(long)Math.Ceiling(leaseTime.TotalMilliseconds), id, limit], cancellationToken).ConfigureAwait(false);
        return reply.ToInt64() == 1 ? new ConcurrencyLease(this, key, id, leaseTime) : null;
    }

    public async ValueTask<bool> RenewAsync(ConcurrencyLease lease, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        var reply = await _db.ScriptEvaluateAsync(Renew, [_prefix + lease.Key], [(long)Math.Ceiling(lease.LeaseTime.TotalMilliseconds), lease.Id], cancellationToken).ConfigureAwait(false);
        return reply.ToInt64() == 1;
    }

    public async ValueTask ReleaseAsync(ConcurrencyLease lease, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        if (lease.MarkReleased())
        {
            await _db.SortedSetRemoveAsync(_prefix + lease.Key, lease.Id, cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask<long> CountAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        return (await _db.ScriptEvaluateAsync(Count, [_prefix + key], [], cancellationToken).ConfigureAwait(false)).ToInt64();
    }
}
