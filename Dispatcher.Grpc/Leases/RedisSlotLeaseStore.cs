using McpPlatform.Redis;
using McpPlatform.Stores;
using Microsoft.Extensions.Options;

namespace McpPlatform.Dispatcher.Grpc.Leases;

/// <summary>
/// A sorted set per slot ("{prefix}disp:slot:{key}", member: lease token, score: expiry in Redis server
/// milliseconds). Every script first drops expired members, which is how a dead replica's leases come back; the
/// choice among several slots is one script, so two replicas never take the same last place.
/// </summary>
internal sealed class RedisSlotLeaseStore(RedisMultiplexer redis, IOptions<StoreOptions> stores) : ISlotLeaseStore
{
    private const string Now = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        """;

    // ARGV: ttl ms, token, limit.
    private static readonly RedisScript AcquireAny = new(Now + "\n" + """
        for i, key in ipairs(KEYS) do
          redis.call('ZREMRANGEBYSCORE', key, '-inf', now)
          if redis.call('ZCARD', key) < tonumber(ARGV[3]) then
            redis.call('ZADD', key, now + tonumber(ARGV[1]), ARGV[2])
            if redis.call('PTTL', key) < tonumber(ARGV[1]) then redis.call('PEXPIRE', key, ARGV[1]) end
            return i
          end
        end
        return 0
        """);

    // ARGV: ttl ms, token.
    private static readonly RedisScript Renew = new(Now + "\n" + """
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
        if not redis.call('ZSCORE', KEYS[1], ARGV[2]) then return 0 end
        redis.call('ZADD', KEYS[1], 'XX', now + tonumber(ARGV[1]), ARGV[2])
        if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[1]) then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
        return 1
        """);

    private static readonly RedisScript Count = new(Now + "\n" + """
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
        return redis.call('ZCARD', KEYS[1])
        """);

    private readonly RedisDatabase _db = redis.GetDatabase();
    private readonly string _prefix = stores.Value.KeyPrefix + "disp:slot:";

    public async ValueTask<int> TryAcquireAnyAsync(IReadOnlyList<string> slotKeys, int limit, string token, TimeSpan ttl, CancellationToken cancellationToken)
    {
        if (slotKeys.Count == 0)
        {
            return -1;
        }

        var reply = await _db.ScriptEvaluateAsync(AcquireAny, slotKeys.Select(key => _prefix + key).ToList(), [Milliseconds(ttl), token, limit], cancellationToken).ConfigureAwait(false);
        return (int)reply.ToInt64() - 1;
    }

    public async ValueTask<bool> RenewAsync(string slotKey, string token, TimeSpan ttl, CancellationToken cancellationToken) =>
        (await _db.ScriptEvaluateAsync(Renew, [_prefix + slotKey], [Milliseconds(ttl), token], cancellationToken).ConfigureAwait(false)).ToInt64() == 1;

    public async ValueTask<bool> ReleaseAsync(string slotKey, string token, CancellationToken cancellationToken) =>
        await _db.SortedSetRemoveAsync(_prefix + slotKey, token, cancellationToken).ConfigureAwait(false);

    public async ValueTask DropAsync(IReadOnlyList<string> slotKeys, CancellationToken cancellationToken)
    {
        if (slotKeys.Count > 0)
        {
            await _db.KeyDeleteAsync(slotKeys.Select(key => _prefix + key).ToList(), cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask<long> CountAsync(string slotKey, CancellationToken cancellationToken) =>
        (await _db.ScriptEvaluateAsync(Count, [_prefix + slotKey], [], cancellationToken).ConfigureAwait(false)).ToInt64();

    private static long Milliseconds(TimeSpan ttl) => (long)Math.Ceiling(ttl.TotalMilliseconds);
}
