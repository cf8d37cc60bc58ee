using Google.Protobuf;
using McpPlatform.Contracts.Worker.V1;
using McpPlatform.Redis;
using McpPlatform.Stores;
using Microsoft.Extensions.Options;

namespace McpPlatform.Dispatcher.Grpc.Registry;

/// <summary>
/// One key per worker ("{prefix}disp:w:{id}", its RegisterRequest) and one for its latest heartbeat
/// ("{prefix}disp:hb:{id}"), both with the worker timeout as their TTL, plus a set of ids to list them. A worker that
/// stops heartbeating disappears when its keys expire; the next listing also drops it from the set.
/// </summary>
internal sealed class RedisWorkerDirectory(RedisMultiplexer redis, IOptions<StoreOptions> stores) : IWorkerDirectory
{
    // KEYS: worker key, heartbeat key. ARGV: ttl ms, heartbeat bytes.
    private static readonly RedisScript Beat = new("""
        if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
        redis.call('PEXPIRE', KEYS[1], ARGV[1])
        redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[1])
        return 1
        """);

    // KEYS: the set. ARGV: key prefix. Returns id, registration, heartbeat triples of live workers.
    private static readonly RedisScript List = new("""
        local out = {}
        for _, id in ipairs(redis.call('SMEMBERS', KEYS[1])) do
          local reg = redis.call('GET', ARGV[1] .. 'w:' .. id)
          if reg then
            local hb = redis.call('GET', ARGV[1] .. 'hb:' .. id)
            table.insert(out, id); table.insert(out, reg); table.insert(out, hb or '')
          else
            redis.call('SREM', KEYS[1], id)
          end
        end
        return out
        """);

    private readonly RedisDatabase _db = redis.GetDatabase();
    private readonly string _prefix = stores.Value.KeyPrefix + "disp:";

    private string SetKey => _prefix + "workers";

    public async ValueTask RegisterAsync(RegisterRequest registration, TimeSpan ttl, CancellationToken cancellationToken)
    {
        await _db.StringSetAsync(_prefix + "w:" + registration.WorkerId, registration.ToByteArray(), ttl, cancellationToken: cancellationToken).ConfigureAwait(false);
        await _db.KeyDeleteAsync(_prefix + "hb:" + registration.WorkerId, cancellationToken).ConfigureAwait(false);
        await _db.SetAddAsync(SetKey, registration.WorkerId, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<bool> HeartbeatAsync(HeartbeatRequest heartbeat, TimeSpan ttl, CancellationToken cancellationToken)
    {
        var reply = await _db.ScriptEvaluateAsync(
            Beat,
            [_prefix + "w:" + heartbeat.WorkerId, _prefix + "hb:" + heartbeat.WorkerId],
            [(long)Math.Ceiling(ttl.TotalMilliseconds), heartbeat.ToByteArray()],
            cancellationToken).ConfigureAwait(false);
        return reply.ToInt64() == 1;
    }

    public async ValueTask<bool> DeregisterAsync(string workerId, CancellationToken cancellationToken)
    {
        var removed = await _db.KeyDeleteAsync([_prefix + "w:" + workerId, _prefix + "hb:" + workerId], cancellationToken).ConfigureAwait(false);
        await _db.SetRemoveAsync(SetKey, workerId, cancellationToken).ConfigureAwait(false);
        return removed > 0;
    }

    public async ValueTask<IReadOnlyList<WorkerRecord>> ListAsync(CancellationToken cancellationToken)
    {
        var reply = await _db.ScriptEvaluateAsync(List, [SetKey], [_prefix], cancellationToken).ConfigureAwait(false);
        var workers = new List<WorkerRecord>(reply.Items.Count / 3);
        for (var i = 0; i + 2 < reply.Items.Count; i += 3)
        {
            var registration = RegisterRequest.Parser.ParseFrom(reply[i + 1].Value.ToBytes() ?? []);
            var beat = reply[i + 2].Value.ToBytes();
            workers.Add(new WorkerRecord(registration, beat is { Length: > 0 } ? HeartbeatRequest.Parser.ParseFrom(beat) : null));
        }

        return workers;
    }
}
