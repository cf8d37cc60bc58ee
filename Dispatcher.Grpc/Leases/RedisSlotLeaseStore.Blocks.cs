using McpPlatform.Redis;

namespace McpPlatform.Dispatcher.Grpc.Leases;

/// <summary>
/// The lease bank's scripts: a block of places is k members ("{token}:1".."{token}:k") on the slot sets and
/// "{token}:p1".. on the plan's set, so a bank place counts exactly like a single lease for every replica (ZCARD
/// stays the measure) and lapses by its own score when the bank stops renewing it.
/// </summary>
internal sealed partial class RedisSlotLeaseStore
{
    // KEYS: the plan's set when ARGV[6] > 0, then the slots. ARGV: ttl ms, block token, slot limit, plan limit,
    // slot places wanted, plan places wanted. Answers {-1} when the plan is full, else {plan places, per slot taken}.
    private static readonly RedisScript Reserve = new(Now + "\n" + """
        local ttl = tonumber(ARGV[1])
        local token = ARGV[2]
        local slotLimit = tonumber(ARGV[3])
        local slotWant = tonumber(ARGV[5])
        local planWant = tonumber(ARGV[6])
        local first = 1
        local planFree = 0
        if planWant > 0 then
          first = 2
          redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
          planFree = tonumber(ARGV[4]) - redis.call('ZCARD', KEYS[1])
          if planFree <= 0 then return {-1} end
        end
        local out = {0}
        local n = 0
        for i = first, #KEYS do
          local key = KEYS[i]
          local got = 0
          if n < slotWant then
            redis.call('ZREMRANGEBYSCORE', key, '-inf', now)
            local free = slotLimit - redis.call('ZCARD', key)
            while got < free and n < slotWant do
              n = n + 1
              got = got + 1
              redis.call('ZADD', key, now + ttl, token .. ':' .. n)
            end
            if got > 0 and redis.call('PTTL', key) < ttl then redis.call('PEXPIRE', key, ttl) end
          end
          out[#out + 1] = got
        end
        if planWant > 0 and (slotWant == 0 or n > 0) then
          local p = math.min(planWant, planFree)
          for j = 1, p do redis.call('ZADD', KEYS[1], now + ttl, token .. ':p' .. j) end
          if redis.call('PTTL', KEYS[1]) < ttl then redis.call('PEXPIRE', KEYS[1], ttl) end
          out[1] = p
        end
        return out
        """);

    // KEYS: the sets. ARGV: ttl ms, then per key: how many members, the members. Answers 1/0 per member (held or not).
    private static readonly RedisScript RenewMany = new(Now + "\n" + """
        local ttl = tonumber(ARGV[1])
        local a = 2
        local out = {}
        for i = 1, #KEYS do
          local key = KEYS[i]
          redis.call('ZREMRANGEBYSCORE', key, '-inf', now)
          local count = tonumber(ARGV[a])
          a = a + 1
          local any = false
          for j = 1, count do
            local member = ARGV[a]
            a = a + 1
            if redis.call('ZSCORE', key, member) then
              redis.call('ZADD', key, 'XX', now + ttl, member)
              out[#out + 1] = 1
              any = true
            else
              out[#out + 1] = 0
            end
          end
          if any and redis.call('PTTL', key) < ttl then redis.call('PEXPIRE', key, ttl) end
        end
        return out
        """);

    // KEYS: the sets. ARGV: per key: how many members, the members.
    private static readonly RedisScript ReturnMany = new("""
        local a = 1
        for i = 1, #KEYS do
          local count = tonumber(ARGV[a])
          a = a + 1
          for j = 1, count do
            redis.call('ZREM', KEYS[i], ARGV[a])
            a = a + 1
          end
        end
        return 1
        """);

    public async ValueTask<BlockReservation> ReserveBlockAsync(BlockRequest request, CancellationToken cancellationToken)
    {
        var keys = new List<string>(request.SlotKeys.Count + 1);
        if (request.PlanWant > 0)
        {
            keys.Add(_prefix + request.PlanKey);
        }

        foreach (var key in request.SlotKeys)
        {
            keys.Add(_prefix + key);
        }

        var reply = await _db.ScriptEvaluateAsync(Reserve, keys, [Milliseconds(request.Ttl), request.BlockToken, request.SlotLimit, request.PlanLimit, request.SlotWant, request.PlanWant], cancellationToken).ConfigureAwait(false);
        var plan = (int)reply[0].ToInt64();
        var taken = new int[request.SlotKeys.Count];
        for (var i = 0; i < taken.Length && plan >= 0; i++)
        {
            taken[i] = (int)reply[i + 1].ToInt64();
        }

        return request.Decode(plan, taken);
    }

    public async ValueTask<IReadOnlyList<bool>> RenewPlacesAsync(IReadOnlyList<StorePlace> places, TimeSpan ttl, CancellationToken cancellationToken)
    {
        if (places.Count == 0)
        {
            return [];
        }

        var (keys, args, order) = Grouped(places, [Milliseconds(ttl)]);
        var reply = await _db.ScriptEvaluateAsync(RenewMany, keys, args, cancellationToken).ConfigureAwait(false);
        var held = new bool[places.Count];
        for (var i = 0; i < order.Count; i++)
        {
            held[order[i]] = reply[i].ToInt64() == 1;
        }

        return held;
    }

    public async ValueTask ReturnPlacesAsync(IReadOnlyList<StorePlace> places, CancellationToken cancellationToken)
    {
        if (places.Count > 0)
        {
            var (keys, args, _) = Grouped(places, []);
            await _db.ScriptEvaluateAsync(ReturnMany, keys, args, cancellationToken).ConfigureAwait(false);
        }
    }

    // The script layout: distinct keys, and per key its member count then members; order maps answers back to places.
    private (List<string> Keys, List<RedisValue> Args, List<int> Order) Grouped(IReadOnlyList<StorePlace> places, RedisValue[] head)
    {
        var keys = new List<string>();
        var args = new List<RedisValue>(head);
        var order = new List<int>(places.Count);
        foreach (var group in places.Select((place, index) => (place, index)).GroupBy(item => item.place.Key, StringComparer.Ordinal))
        {
            keys.Add(_prefix + group.Key);
            args.Add(group.Count());
            foreach (var (place, index) in group)
            {
                args.Add(place.Member);
                order.Add(index);
            }
        }

        return (keys, args, order);
    }
}
