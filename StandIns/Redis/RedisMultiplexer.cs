using System.Collections.Concurrent;
using McpPlatform.Redis.Connection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace McpPlatform.Redis;

/// <summary>
/// The shared client for one Redis endpoint, the counterpart of StackExchange.Redis's <c>ConnectionMultiplexer</c>:
/// create one per process and share it. All callers' commands are pipelined over one connection per database;
/// pub/sub uses a separate subscriber connection; blocking commands (XREAD BLOCK) borrow dedicated connections
/// so they never stall the shared one.
/// </summary>
public sealed class RedisMultiplexer : IAsyncDisposable, IDisposable
{
    private readonly RedisOptions _options;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly ConnectionEngine _main;
    private readonly ConcurrentDictionary<int, Lazy<ConnectionEngine>> _otherDatabases = new();
    private readonly ConcurrentBag<ConnectionEngine> _idleBlocking = [];
    private readonly Lazy<RedisSubscriber> _subscriber;
    private readonly Task _firstConnect;
    private int _disposed;

    private RedisMultiplexer(RedisOptions options, ILoggerFactory? loggerFactory)
    {
        _options = options.Clone();
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        _logger = _loggerFactory.CreateLogger<RedisMultiplexer>();
        _main = new ConnectionEngine(_options, _logger, "interactive", _options.DefaultDatabase);
        _main.Failed += error => ConnectionFailed?.Invoke(this, new RedisConnectionEventArgs(_options.EndPoint, error));
        _main.Restored += () => ConnectionRestored?.Invoke(this, new RedisConnectionEventArgs(_options.EndPoint, null));
        _subscriber = new Lazy<RedisSubscriber>(() => new RedisSubscriber(this, _options, _logger), LazyThreadSafetyMode.ExecutionAndPublication);
        _firstConnect = _main.StartAsync();
    }

    /// <summary>Raised when the interactive connection is lost (the client reconnects by itself).</summary>
    public event EventHandler<RedisConnectionEventArgs>? ConnectionFailed;

    /// <summary>Raised when the interactive connection is back after a failure.</summary>
    public event EventHandler<RedisConnectionEventArgs>? ConnectionRestored;

    /// <summary>A copy of the options this client was created with.</summary>
    public RedisOptions Options => _options.Clone();

    /// <summary>True while the interactive connection is up.</summary>
    public bool IsConnected => _main.IsConnected;

    /// <summary>Connects to Redis using a StackExchange.Redis-style connection string.</summary>
    public static Task<RedisMultiplexer> ConnectAsync(string connectionString, ILoggerFactory? loggerFactory = null, CancellationToken cancellationToken = default) =>
        ConnectAsync(RedisOptions.Parse(connectionString), loggerFactory, cancellationToken);

    /// <summary>
    /// Connects to Redis. With <see cref="RedisOptions.AbortOnConnectFail"/> (the default) this fails when the first
    /// attempts fail, with a message naming the cause (unreachable, timed out, credentials refused); otherwise it
    /// returns at once and the client keeps connecting in the background.
    /// </summary>
    public static async Task<RedisMultiplexer> ConnectAsync(RedisOptions options, ILoggerFactory? loggerFactory = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var multiplexer = new RedisMultiplexer(options, loggerFactory);
        if (!options.AbortOnConnectFail)
        {
            return multiplexer;
        }

        try
        {
            await multiplexer._firstConnect.WaitAsync(cancellationToken).ConfigureAwait(false);
            return multiplexer;
        }
        catch
        {
            await multiplexer.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Creates a client that connects in the background and never blocks the caller (what dependency injection uses).</summary>
    public static RedisMultiplexer Create(RedisOptions options, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var multiplexer = new RedisMultiplexer(options, loggerFactory);
        multiplexer._firstConnect.ContinueWith(static task => _ = task.Exception, TaskScheduler.Default);
        return multiplexer;
    }

    /// <summary>The typed command surface for a database (-1: the connection string's defaultDatabase).</summary>
    public RedisDatabase GetDatabase(int database = -1)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        ArgumentOutOfRangeException.ThrowIfLessThan(database, -1);
        return new RedisDatabase(this, database < 0 ? _options.DefaultDatabase : database);
    }

    /// <summary>The pub/sub surface; its connection opens on first use and resubscribes after every reconnect.</summary>
    public RedisSubscriber GetSubscriber()
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        return _subscriber.Value;
    }

    internal ILogger Logger => _logger;

    internal ConnectionEngine EngineFor(int database) =>
        database == _options.DefaultDatabase
            ? _main
            : _otherDatabases.GetOrAdd(database, key => new Lazy<ConnectionEngine>(() => CreateEngine(key))).Value;

    internal ConnectionEngine RentBlockingEngine()
    {
        if (_idleBlocking.TryTake(out var engine))
        {
            return engine;
        }

        engine = new ConnectionEngine(_options, _logger, "blocking", _options.DefaultDatabase);
        engine.StartAsync().ContinueWith(static task => _ = task.Exception, TaskScheduler.Default);
        return engine;
    }

    internal void ReturnBlockingEngine(ConnectionEngine engine, bool reusable)
    {
        if (reusable && _disposed == 0 && _idleBlocking.Count < _options.MaxIdleBlockingConnections)
        {
            _idleBlocking.Add(engine);
            return;
        }

        _ = engine.DisposeAsync().AsTask();
    }

    private ConnectionEngine CreateEngine(int database)
    {
        var engine = new ConnectionEngine(_options, _logger, $"database {database}", database);
        engine.StartAsync().ContinueWith(static task => _ = task.Exception, TaskScheduler.Default);
        return engine;
    }

    /// <summary>Closes every connection; commands still waiting fail with <see cref="ObjectDisposedException"/>.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _main.DisposeAsync().ConfigureAwait(false);
        foreach (var engine in _otherDatabases.Values.Where(lazy => lazy.IsValueCreated))
        {
            await engine.Value.DisposeAsync().ConfigureAwait(false);
        }

        while (_idleBlocking.TryTake(out var engine))
        {
            await engine.DisposeAsync().ConfigureAwait(false);
        }

        if (_subscriber.IsValueCreated)
        {
            await _subscriber.Value.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();
}
