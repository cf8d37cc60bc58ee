using System.Globalization;
using McpPlatform.Redis;
using Microsoft.Extensions.Options;

namespace McpPlatform.Stores.Sessions;

/// <summary>
/// A hash per session (fields p, s, v, c and a:&lt;name&gt;) with PEXPIRE as the idle timer, and a sorted set per
/// principal (session id → expiry) for counting. Each operation is one script, so the owner check and the change
/// are atomic.
/// </summary>
internal sealed class RedisSessionStore(RedisMultiplexer redis, IOptions<StoreOptions> options) : ISessionStore
{
    // KEYS: session hash, principal index. ARGV: idle ms, principal, session id, …
    private const string Owner = """
        local owner = redis.call('HGET', KEYS[1], 'p')
        if not owner then return {0} end
        if owner ~= ARGV[2] then return {2} end
        """;

    private const string Touch = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        redis.call('PEXPIRE', KEYS[1], ARGV[1])
        redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
        redis.call('ZADD', KEYS[2], now + tonumber(ARGV[1]), ARGV[3])
        redis.call('PEXPIRE', KEYS[2], ARGV[1])
        """;

    private static readonly RedisScript Create = new("if redis.call('EXISTS', KEYS[1]) == 1 then return {0} end\nredis.call('HSET', KEYS[1], unpack(ARGV, 4))\n" + Touch + "\nreturn {1}");

    private static readonly RedisScript Get = new(Owner + "\n" + Touch + "\nreturn {1, redis.call('HGETALL', KEYS[1])}");

    private static readonly RedisScript SetAttribute = new(Owner + "\nredis.call('HSET', KEYS[1], ARGV[4], ARGV[5])\n" + Touch + "\nreturn {1}");

    private static readonly RedisScript Delete = new(Owner + "\nredis.call('DEL', KEYS[1])\nredis.call('ZREM', KEYS[2], ARGV[3])\nreturn {1}");

    private static readonly RedisScript Count = new("""
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
        return redis.call('ZCARD', KEYS[1])
        """);

    private readonly RedisDatabase _db = redis.GetDatabase();
    private readonly string _prefix = options.Value.KeyPrefix;
    private readonly long _idleMilliseconds = (long)options.Value.SessionIdleTimeout.TotalMilliseconds;

    public async ValueTask<bool> CreateAsync(SessionRecord session, CancellationToken cancellationToken = default)
    {
        SessionStoreArguments.Validate(session);
        var args = new List<RedisValue>
        {
            _idleMilliseconds, session.Principal, session.Id,
            "p", session.Principal,
            "c", session.CreatedAt.ToUnixTimeMilliseconds(),
        };
        if (session.Server is not null)
        {
            args.Add("s");
            args.Add(session.Server);
        }

        if (session.ProtocolVersion is not null)
        {
            args.Add("v");
            args.Add(session.ProtocolVersion);
        }

        foreach (var (name, value) in session.Attributes)
        {
            args.Add("a:" + name);
            args.Add(value);
        }

        var reply = await _db.ScriptEvaluateAsync(Create, Keys(session.Id, session.Principal), args, cancellationToken).ConfigureAwait(false);
        return reply[0].ToInt64() == 1;
    }

    public async ValueTask<SessionLookup> GetAsync(string sessionId, string principal, CancellationToken cancellationToken = default)
    {
        SessionStoreArguments.Validate(sessionId, principal);
        var reply = await _db.ScriptEvaluateAsync(Get, Keys(sessionId, principal), [_idleMilliseconds, principal, sessionId], cancellationToken).ConfigureAwait(false);
        return reply[0].ToInt64() switch
        {
            1 => new SessionLookup(SessionLookupStatus.Found, ToRecord(sessionId, reply[1])),
            2 => new SessionLookup(SessionLookupStatus.OtherPrincipal, null),
            _ => new SessionLookup(SessionLookupStatus.NotFound, null),
        };
    }

    public async ValueTask<bool> SetAttributeAsync(string sessionId, string principal, string name, string value, CancellationToken cancellationToken = default)
    {
        SessionStoreArguments.Validate(sessionId, principal);
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(value);
        var reply = await _db.ScriptEvaluateAsync(SetAttribute, Keys(sessionId, principal), [_idleMilliseconds, principal, sessionId, "a:" + name, value], cancellationToken).ConfigureAwait(false);
        return reply[0].ToInt64() == 1;
    }

    public async ValueTask<bool> DeleteAsync(string sessionId, string principal, CancellationToken cancellationToken = default)
    {
        SessionStoreArguments.Validate(sessionId, principal);
        var reply = await _db.ScriptEvaluateAsync(Delete, Keys(sessionId, principal), [_idleMilliseconds, principal, sessionId], cancellationToken).ConfigureAwait(false);
        return reply[0].ToInt64() == 1;
    }

    public async ValueTask<long> CountAsync(string principal, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(principal);
        return (await _db.ScriptEvaluateAsync(Count, [PrincipalKey(principal)], [], cancellationToken).ConfigureAwait(false)).ToInt64();
    }

    private string[] Keys(string sessionId, string principal) => [_prefix + "sess:" + sessionId, PrincipalKey(principal)];

    private string PrincipalKey(string principal) => _prefix + "sessp:" + principal;

    private static SessionRecord ToRecord(string sessionId, RedisResult hash)
    {
        string? principal = null, server = null, protocol = null;
        long created = 0;
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < hash.Items.Count; i += 2)
        {
            var field = hash[i].Value.ToString();
            var value = hash[i + 1].Value.ToString();
            switch (field)
            {
                case "p": principal = value; break;
                case "s": server = value; break;
                case "v": protocol = value; break;
                case "c": created = long.Parse(value, CultureInfo.InvariantCulture); break;
                default:
                    if (field.StartsWith("a:", StringComparison.Ordinal))
                    {
                        attributes[field[2..]] = value;
                    }

                    break;
            }
        }

        return new SessionRecord
        {
            Id = sessionId,
            Principal = principal!,
            Server = server,
            ProtocolVersion = protocol,
            CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(created),
            Attributes = attributes,
        };
    }
}
