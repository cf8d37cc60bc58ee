using McpPlatform.Redis;

namespace McpPlatform.Gateway.Edge.Access.Policy;

/// <summary>
/// The two Lua scripts behind <see cref="RedisCallLimiter"/>. Rate: GCRA as Stores' RedisRateLimiter
/// (<c>{prefix}rl:{subject}</c> holds the theoretical arrival time, on the Redis server's clock); taking k permits
/// advances it by k emission intervals. Quota: <c>{prefix}quota:{subject}:{yyyy-MM}</c>, expiring a day after the
/// month; taking k units is INCRBY k. Both keys live on one Redis (the platform runs no cluster).
/// </summary>
internal static class CallLimitScripts
{
    /// <summary>
    /// Reserve. KEYS: rate key, quota key. ARGV: 1 emission interval µs (0: no rate limit), 2 burst, 3 permits wanted
    /// (0: the call has a local permit), 4 headroom (permits that must stay free beyond a chunk of more than one),
    /// 5 quota limit, 6 units wanted (0: the call has a local unit), 7 "1" when a quota refusal refuses the call ("0":
    /// a top-up that may come back empty), 8 units given back first, 9 quota expiry (unix ms).
    /// Returns {0 allowed | 1 rate limited | 2 quota exceeded, retry-after µs, quota used, permits, units}.
    /// The first permit is decided exactly as one call without allotments, and a refused call takes nothing of the
    /// other limit. A reservation takes at most 1/32 of the quota left (at least one unit), so replicas never sit on
    /// much of it and the last units of a quota go one call at a time.
    /// </summary>
    public static readonly RedisScript Reserve = new("""
        local emission = tonumber(ARGV[1])
        local want = tonumber(ARGV[3])
        local limit = tonumber(ARGV[5])
        local qwant = tonumber(ARGV[6])
        local release = tonumber(ARGV[8])
        if release > 0 then
          local held = tonumber(redis.call('GET', KEYS[2]) or '0')
          if held > 0 then redis.call('DECRBY', KEYS[2], math.min(release, held)) end
        end
        local permits, tat, now = 0, 0, 0
        if want > 0 then
          local t = redis.call('TIME')
          now = tonumber(t[1]) * 1000000 + tonumber(t[2])
          tat = tonumber(redis.call('GET', KEYS[1]) or now)
          if tat < now then tat = now end
          local burst = tonumber(ARGV[2])
          local allow_at = tat + emission - emission * burst
          if allow_at > now then
            return {1, math.ceil(allow_at - now), 0, 0, 0}
          end
          permits = 1
          if want > 1 then
            local spare = math.floor((now - tat) / emission + burst - tonumber(ARGV[4]))
            if spare > 1 then permits = math.min(want, spare) end
          end
        end
        local used, units = 0, 0
        if qwant > 0 then
          used = tonumber(redis.call('GET', KEYS[2]) or '0')
          if used >= limit then
            if ARGV[7] == '1' then return {2, 0, used, 0, 0} end
          else
            units = math.min(qwant, math.max(1, math.floor((limit - used) / 32)))
            used = redis.call('INCRBY', KEYS[2], units)
            if used == units then redis.call('PEXPIREAT', KEYS[2], ARGV[9]) end
          end
        end
        if permits > 0 then
          local new_tat = tat + emission * permits
          redis.call('SET', KEYS[1], string.format('%.0f', new_tat), 'PX', math.ceil((new_tat - now) / 1000) + 1)
        end
        return {0, 0, used, permits, units}
        """);

    /// <summary>
    /// Give back unused units. KEYS: quota keys; ARGV: units per key. A counter is never taken below zero, and a key
    /// that expired (a past month) is not created again.
    /// </summary>
    public static readonly RedisScript GiveBack = new("""
        for i, key in ipairs(KEYS) do
          local held = tonumber(redis.call('GET', key) or '0')
          local n = math.min(tonumber(ARGV[i]), held)
          if n > 0 then redis.call('DECRBY', key, n) end
        end
        return #KEYS
        """);
}
