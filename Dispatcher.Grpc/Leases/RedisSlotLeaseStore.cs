using McpPlatform.Redis;
using McpPlatform.Stores;
using Microsoft.Extensions.Options;

namespace McpPlatform.Dispatcher.Grpc.Leases;

/// <summary>
/// A sorted set per slot ("{prefix}disp:slot:{key}", member: lease token, score: expiry in Redis server
/// milliseconds). Every script first drops expired members, which is how a dead replica's leases come back; the
/// choice among several slots is one script, so two replicas never take the same last place.
/// </summary>
internal sealed partial class RedisSlotLeaseStore(RedisMultiplexer redis, IOptions<StoreOptions> stores) : ISlotLeaseStore
{
    private const string Now = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        """;

    // KEYS: the plan's set when ARGV[4] > 0, then the slots. ARGV: ttl ms, token, slot limit, plan limit.
    // Answers the slot's 1-based index, 0 when every slot is full, -1 when the plan is full (nothing taken then).
    private static readonly RedisScript Acquire = new(Now + "\n" + """
        local ttl = tonumber(ARGV[1])
        local first = 1
        if tonumber(ARGV[4]) > 0 then
          first = 2
          redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
          if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[4]) then return -1 end
        end
        for i = first, #KEYS do
          local key = KEYS[i]
          redis.call('ZREMRANGEBYSCORE', key, '-inf', now)
          if redis.call('ZCARD', key) < tonumber(ARGV[3]) then
            redis.call('ZADD', key, now + ttl, ARGV[2])
            if redis.call('PTTL', key) < ttl then redis.call('PEXPIRE', key, ttl) end
            if first == 2 then
              redis.call('ZADD', KEYS[1], now + ttl, ARGV[2])
              if redis.call('PTTL', KEYS[1]) < ttl then redis.call('PEXPIRE', KEYS[1], ttl) end
            end
            return i - first + 1
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

    public async ValueTask<int> TryAcquireAsync(string? planKey, int planLimit, IReadOnlyList<string> slotKeys, int slotLimit, string token, TimeSpan ttl, CancellationToken cancellationToken)
    {
        if (slotKeys.Count == 0)
        {
            return ISlotLeaseStore.SlotsFull;
        }

        var keys = new List<string>(slotKeys.Count + 1);
        if (planKey is not null)
        {
            keys.Add(_prefix + planKey);
        }

        foreach (var key in slotKeys)
        {
            keys.Add(_prefix + key);
        }

        var reply = (int)(await _db.ScriptEvaluateAsync(Acquire, keys, [Milliseconds(ttl), token, slotLimit, planKey is null ? 0 : planLimit], cancellationToken).ConfigureAwait(false)).ToInt64();
        return reply switch
        {
            < 0 => ISlotLeaseStore.PlanFull,
            0 => ISlotLeaseStore.SlotsFull,
            _ => reply - 1,
        };
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
