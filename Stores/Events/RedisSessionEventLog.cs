using McpPlatform.Redis;
using Microsoft.Extensions.Options;

namespace McpPlatform.Stores.Events;

/// <summary>
/// One Redis stream per session and stream name (<c>{prefix}ev:{session}:{stream}</c>, field "m" holds the message)
/// plus a set of the session's stream names for deletion. Appends cap the stream with <c>MAXLEN ~</c> and push its
/// expiry forward; waiting uses XREAD BLOCK on a dedicated connection.
/// </summary>
internal sealed class RedisSessionEventLog(RedisMultiplexer redis, IOptions<StoreOptions> options) : ISessionEventLog
{
    // KEYS: stream, session index. ARGV: max length, message, retention ms, stream name.
    private static readonly RedisScript Append = new("""
        local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', 'm', ARGV[2])
        redis.call('PEXPIRE', KEYS[1], ARGV[3])
        redis.call('SADD', KEYS[2], ARGV[4])
        redis.call('PEXPIRE', KEYS[2], ARGV[3])
        return id
        """);

    // KEYS: stream. ARGV: max length, entry id, message, retention ms. XADD refuses an id not above the stream's last.
    private static readonly RedisScript AppendWithId = new("""
        redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], ARGV[2], 'm', ARGV[3])
        redis.call('PEXPIRE', KEYS[1], ARGV[4])
        return 1
        """);

    // KEYS: stream. ARGV: after id ('' for the start), count. Returns {continuous, entries}.
    private static readonly RedisScript Read = new("""
        local after = ARGV[1]
        if after == '' then return {1, redis.call('XRANGE', KEYS[1], '-', '+', 'COUNT', ARGV[2])} end
        local continuous = 0
        if #redis.call('XRANGE', KEYS[1], after, after) > 0 then
          continuous = 1
        elseif redis.call('EXISTS', KEYS[1]) == 1 then
          local info = redis.call('XINFO', 'STREAM', KEYS[1])
          for i = 1, #info, 2 do
            if info[i] == 'last-generated-id' and info[i + 1] == after then continuous = 1 end
          end
        end
        return {continuous, redis.call('XRANGE', KEYS[1], '(' .. after, '+', 'COUNT', ARGV[2])}
        """);

    // KEYS: stream. ARGV: max age ms, max length.
    private static readonly RedisScript Trim = new("""
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local minimum = now - tonumber(ARGV[1])
        if minimum < 0 then minimum = 0 end
        local removed = redis.call('XTRIM', KEYS[1], 'MINID', '=', string.format('%d-0', minimum))
        return removed + redis.call('XTRIM', KEYS[1], 'MAXLEN', '=', ARGV[2])
        """);

    // KEYS: session index. ARGV: stream key prefix of the session.
    private static readonly RedisScript DeleteSession = new("""
        local streams = redis.call('SMEMBERS', KEYS[1])
        for i = 1, #streams do redis.call('DEL', ARGV[1] .. streams[i]) end
        redis.call('DEL', KEYS[1])
        return #streams
        """);

    private readonly RedisDatabase _db = redis.GetDatabase();
    private readonly StoreOptions _options = options.Value;

    public async ValueTask<string> AppendAsync(string sessionId, string stream, ReadOnlyMemory<byte> message, CancellationToken cancellationToken = default)
    {
        EventLogArguments.Validate(sessionId, stream);
        var payload = RedisValue.FromBytes(message.ToArray(), 0, message.Length);
        var reply = await _db.ScriptEvaluateAsync(
            Append,
            [StreamKey(sessionId, stream), IndexKey(sessionId)],
            [_options.EventLogMaxLength, payload, (long)_options.EventLogRetention.TotalMilliseconds, stream],
            cancellationToken).ConfigureAwait(false);
        return reply.Value.ToString();
    }

    public async ValueTask AppendWithIdAsync(string sessionId, string stream, string entryId, ReadOnlyMemory<byte> message, CancellationToken cancellationToken = default)
    {
        EventLogArguments.Validate(sessionId, stream, entryId);
        var payload = RedisValue.FromBytes(message.ToArray(), 0, message.Length);
        await _db.ScriptEvaluateAsync(
            AppendWithId,
            [StreamKey(sessionId, stream)],
            [_options.EventLogMaxLength, entryId, payload, (long)_options.RequestStreamRetention.TotalMilliseconds],
            cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<EventReadResult> ReadAfterAsync(string sessionId, string stream, string? afterId, int maxCount, CancellationToken cancellationToken = default)
    {
        EventLogArguments.Validate(sessionId, stream, afterId, maxCount);
        var reply = await _db.ScriptEvaluateAsync(Read, [StreamKey(sessionId, stream)], [afterId ?? string.Empty, maxCount], cancellationToken).ConfigureAwait(false);
        return new EventReadResult(ToEvents(StreamEntry.FromReply(reply[1])), reply[0].ToInt64() == 1);
    }

    public async ValueTask<EventReadResult> WaitAfterAsync(string sessionId, string stream, string? afterId, int maxCount, TimeSpan wait, CancellationToken cancellationToken = default)
    {
        var first = await ReadAfterAsync(sessionId, stream, afterId, maxCount, cancellationToken).ConfigureAwait(false);
        if (first.Events.Count > 0 || !first.IsContinuous || wait <= TimeSpan.Zero)
        {
            return first;
        }

        // Anything appended since the read above is after afterId, so XREAD from afterId cannot miss it.
        var entries = await _db.StreamReadAsync(StreamKey(sessionId, stream), afterId ?? "0-0", maxCount, wait, cancellationToken).ConfigureAwait(false);
        return entries.Length == 0 ? EventReadResult.EmptyContinuous : new EventReadResult(ToEvents(entries), true);
    }

    public async ValueTask<long> TrimAsync(string sessionId, string stream, TimeSpan maxAge, int maxLength, CancellationToken cancellationToken = default)
    {
        EventLogArguments.Validate(sessionId, stream);
        EventLogArguments.ValidateTrim(maxAge, maxLength);
        var reply = await _db.ScriptEvaluateAsync(Trim, [StreamKey(sessionId, stream)], [(long)maxAge.TotalMilliseconds, maxLength], cancellationToken).ConfigureAwait(false);
        return reply.ToInt64();
    }

    public async ValueTask DeleteSessionAsync(string sessionId, CancellationToken cancellationToken = default)
    {
        EventLogArguments.Validate(sessionId, "x");
        await _db.ScriptEvaluateAsync(DeleteSession, [IndexKey(sessionId)], [StreamKey(sessionId, string.Empty)], cancellationToken).ConfigureAwait(false);
    }

    private string StreamKey(string sessionId, string stream) => $"{_options.KeyPrefix}ev:{sessionId}:{stream}";

    private string IndexKey(string sessionId) => $"{_options.KeyPrefix}evs:{sessionId}";

    private static SessionEvent[] ToEvents(StreamEntry[] entries)
    {
        var events = new SessionEvent[entries.Length];
        for (var i = 0; i < entries.Length; i++)
        {
            events[i] = new SessionEvent(entries[i].Id, entries[i]["m"].AsMemory());
        }

        return events;
    }
}
