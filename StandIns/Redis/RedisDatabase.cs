using System.Collections.Frozen;
using System.Diagnostics;
using McpPlatform.Redis.Connection;
using McpPlatform.Redis.Diagnostics;

namespace McpPlatform.Redis;

/// <summary>
/// Typed commands against one database, the counterpart of StackExchange.Redis's <c>IDatabase</c>. Cheap to
/// create and safe to share: every instance sends through its multiplexer's shared pipelined connection. Every
/// method takes a <see cref="CancellationToken"/>; every command also fails after <see cref="RedisOptions.CommandTimeout"/>.
/// </summary>
public sealed partial class RedisDatabase
{
    // Commands that only read, so running one twice is harmless: retried once after a connection failure.
    private static readonly FrozenSet<string> ReadOnlyCommands = new[]
    {
        "GET", "MGET", "STRLEN", "GETRANGE", "EXISTS", "TTL", "PTTL", "TYPE", "SCAN", "KEYS", "HGET", "HMGET", "HGETALL",
        "HLEN", "HEXISTS", "HKEYS", "HVALS", "HSCAN", "SMEMBERS", "SISMEMBER", "SMISMEMBER", "SCARD", "SSCAN", "ZSCORE",
        "ZCARD", "ZRANGE", "ZRANGEBYSCORE", "ZREVRANGE", "ZCOUNT", "ZRANK", "ZSCAN", "LRANGE", "LLEN", "LINDEX",
        "XRANGE", "XREVRANGE", "XLEN", "XINFO", "PING", "ECHO", "TIME", "DBSIZE", "INFO", "EVALSHA_RO", "EVAL_RO",
    }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    private readonly RedisMultiplexer _multiplexer;
    private readonly ConnectionEngine _engine;

    internal RedisDatabase(RedisMultiplexer multiplexer, int database)
    {
        _multiplexer = multiplexer;
        _engine = multiplexer.EngineFor(database);
        Database = database;
    }

    /// <summary>The database number (SELECT) this instance targets.</summary>
    public int Database { get; }

    /// <summary>The client this database belongs to.</summary>
    public RedisMultiplexer Multiplexer => _multiplexer;

    /// <summary>Runs any command. Read-only commands are retried once after a connection failure; others are not.</summary>
    /// <param name="command">The command name, e.g. <c>OBJECT</c>.</param>
    /// <param name="args">Its arguments.</param>
    public ValueTask<RedisResult> ExecuteAsync(string command, params RedisValue[] args) =>
        ExecuteAsync(command, args, CancellationToken.None);

    /// <summary>Runs any command. Read-only commands are retried once after a connection failure; others are not.</summary>
    /// <remarks>Do not send blocking commands (BLPOP, XREAD BLOCK …) here: they would stall every caller; use <see cref="ExecuteBlockingAsync"/>.</remarks>
    public ValueTask<RedisResult> ExecuteAsync(string command, RedisValue[] args, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(command);
        ArgumentNullException.ThrowIfNull(args);
        return Send(command, args, ReadOnlyCommands.Contains(command), cancellationToken);
    }

    /// <summary>
    /// Runs a blocking command (BLPOP, BRPOP, XREAD BLOCK, WAIT …) on a dedicated connection, so it never stalls
    /// the shared pipeline. <paramref name="maxBlock"/> is added to the command timeout.
    /// </summary>
    public async ValueTask<RedisResult> ExecuteBlockingAsync(string command, RedisValue[] args, TimeSpan maxBlock, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(command);
        ArgumentNullException.ThrowIfNull(args);
        var engine = _multiplexer.RentBlockingEngine();
        var reusable = false;
        try
        {
            var result = await engine.ExecuteAsync(command, args, idempotent: false, cancellationToken, maxBlock).ConfigureAwait(false);
            reusable = true;
            return result;
        }
        catch (RedisServerException)
        {
            reusable = true;
            throw;
        }
        finally
        {
            // A cancelled or timed-out blocking command still owns its connection until the server answers: drop it.
            _multiplexer.ReturnBlockingEngine(engine, reusable);
        }
    }

    /// <summary>Round-trip time of a PING.</summary>
    public async ValueTask<TimeSpan> PingAsync(CancellationToken cancellationToken = default)
    {
        var started = Stopwatch.GetTimestamp();
        await Send("PING", [], idempotent: true, cancellationToken).ConfigureAwait(false);
        return Stopwatch.GetElapsedTime(started);
    }

    /// <summary>Publishes a message; returns how many subscribers received it (on this node).</summary>
    public async ValueTask<long> PublishAsync(string channel, RedisValue message, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(channel);
        return (await Send("PUBLISH", [channel, message], idempotent: false, cancellationToken).ConfigureAwait(false)).ToInt64();
    }

    internal ValueTask<RedisResult> Send(string command, RedisValue[] args, bool idempotent, CancellationToken cancellationToken)
    {
        if (!RedisTelemetry.ActivitySource.HasListeners())
        {
            return _engine.ExecuteAsync(command, args, idempotent, cancellationToken);
        }

        return SendTraced(command, args, idempotent, cancellationToken);
    }

    private async ValueTask<RedisResult> SendTraced(string command, RedisValue[] args, bool idempotent, CancellationToken cancellationToken)
    {
        using var activity = RedisTelemetry.ActivitySource.StartActivity(command, ActivityKind.Client);
        activity?.SetTag("db.system", "redis");
        activity?.SetTag("db.operation", command);
        activity?.SetTag("db.redis.database_index", Database);
        try
        {
            return await _engine.ExecuteAsync(command, args, idempotent, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            activity?.SetStatus(ActivityStatusCode.Error, exception.Message);
            throw;
        }
    }

    private static long Milliseconds(TimeSpan value, string name)
    {
        var milliseconds = (long)Math.Ceiling(value.TotalMilliseconds);
        if (milliseconds <= 0)
        {
            throw new ArgumentOutOfRangeException(name, value, "The duration must be at least one millisecond.");
        }

        return milliseconds;
    }
}
