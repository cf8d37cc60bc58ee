using System.Net.Security;
using System.Net.Sockets;
using McpPlatform.Redis.Diagnostics;
using Microsoft.Extensions.Logging;

namespace McpPlatform.Redis.Connection;

/// <summary>
/// A logical connection that survives socket failures: callers queue commands in its backlog, the current
/// <see cref="PhysicalConnection"/> writes them, and when the socket dies the engine settles the in-flight
/// commands (idempotent ones are queued again, the rest fail) and reconnects with exponential backoff.
/// </summary>
internal sealed class ConnectionEngine : IAsyncDisposable
{
    private readonly RedisOptions _options;
    private readonly ILogger _logger;
    private readonly string _role;
    private readonly int _database;
    private readonly Func<PhysicalConnection, CancellationToken, Task>? _afterHandshake;
    private readonly Action<RedisResult>? _onPubSubMessage;
    private readonly CommandBacklog _backlog = new();
    private readonly Lock _writerGate = new();
    private readonly CancellationTokenSource _disposed = new();
    private readonly TaskCompletionSource _firstConnect = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Timer _heartbeat;
    private readonly long _timeoutMilliseconds;
    private PhysicalConnection? _current;
    private bool _writerRunning;
    private Exception? _lastError;

    public ConnectionEngine(
        RedisOptions options,
        ILogger logger,
        string role,
        int database,
        Func<PhysicalConnection, CancellationToken, Task>? afterHandshake = null,
        Action<RedisResult>? onPubSubMessage = null)
    {
        _options = options;
        _logger = logger;
        _role = role;
        _database = database;
        _afterHandshake = afterHandshake;
        _onPubSubMessage = onPubSubMessage;
        _timeoutMilliseconds = (long)options.CommandTimeout.TotalMilliseconds;
        // The heartbeat also rescues reply batches stalled by a blocking caller, so it ticks at least every 100 ms.
        var period = TimeSpan.FromMilliseconds(Math.Clamp(_timeoutMilliseconds / 10, 10, 100));
        _heartbeat = new Timer(static state => ((ConnectionEngine)state!).OnHeartbeat(), this, period, period);
    }

    public event Action<Exception>? Failed;

    public event Action? Restored;

    public bool IsConnected => Volatile.Read(ref _current) is { IsAlive: true };

    public Exception? LastError => _lastError;

    /// <summary>Starts connecting; the task completes at the first successful connection, or fails when the first attempts are exhausted and <see cref="RedisOptions.AbortOnConnectFail"/> is set.</summary>
    public Task StartAsync()
    {
        _ = Task.Run(() => ConnectLoopAsync(firstConnection: true));
        return _firstConnect.Task;
    }

    public ValueTask<RedisResult> ExecuteAsync(string name, RedisValue[] args, bool idempotent, CancellationToken cancellationToken, TimeSpan? extraTime = null)
    {
        if (_disposed.IsCancellationRequested)
        {
            return ValueTask.FromException<RedisResult>(new ObjectDisposedException(nameof(RedisMultiplexer), "The Redis client has been disposed."));
        }

        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<RedisResult>(cancellationToken);
        }

        var deadline = Environment.TickCount64 + _timeoutMilliseconds + (long)(extraTime?.TotalMilliseconds ?? 0);
        var command = PendingCommand.Rent(name, args, idempotent, deadline);
        var task = command.Task;
        command.RegisterCancellation(cancellationToken);
        _backlog.Enqueue(command);
        RedisTelemetry.Commands.Add(1);
        return task;
    }

    private async Task ConnectLoopAsync(bool firstConnection)
    {
        var delay = TimeSpan.FromMilliseconds(50);
        var attempts = 0;
        while (!_disposed.IsCancellationRequested)
        {
            try
            {
                var connection = await OpenAsync(_disposed.Token).ConfigureAwait(false);
                lock (_writerGate)
                {
                    Volatile.Write(ref _current, connection);
                    connection.StartWriter(_backlog);
                    _writerRunning = true;
                }

                if (!firstConnection)
                {
                    RedisTelemetry.Reconnects.Add(1);
                    Log.Reconnected(_logger, _role, _options.EndPoint);
                    Restored?.Invoke();
                }

                _firstConnect.TrySetResult();
                return;
            }
            catch (OperationCanceledException) when (_disposed.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                attempts++;
                _lastError = exception;
                if (firstConnection && _options.AbortOnConnectFail && (attempts >= Math.Max(1, _options.ConnectRetry) || exception is RedisAuthenticationException))
                {
                    _firstConnect.TrySetException(exception is RedisAuthenticationException ? exception
                        : new RedisConnectionException($"Could not connect to Redis at {_options.EndPoint} after {attempts} attempt(s): {exception.Message}", exception));
                    return;
                }

                Log.ConnectFailed(_logger, _role, _options.EndPoint, attempts, exception.Message);
            }

            try
            {
                // Exponential backoff with jitter, so a fleet of clients does not reconnect in lockstep.
                var jittered = delay * (0.75 + (Random.Shared.NextDouble() / 2));
                await Task.Delay(jittered, _disposed.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.MaxReconnectDelay.Ticks));
        }
    }

    private async Task<PhysicalConnection> OpenAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.ConnectTimeout);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        Stream stream;
        try
        {
            await socket.ConnectAsync(_options.Host, _options.Port, timeout.Token).ConfigureAwait(false);
            stream = new NetworkStream(socket, ownsSocket: true);
            if (_options.Ssl)
            {
                var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
                stream = ssl;
                await ssl.AuthenticateAsClientAsync(
                    new SslClientAuthenticationOptions
                    {
                        TargetHost = _options.SslHost ?? _options.Host,
                        RemoteCertificateValidationCallback = _options.CertificateValidation,
                    },
                    timeout.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            socket.Dispose();
            throw new RedisConnectionException($"Connecting to Redis at {_options.EndPoint} timed out after {_options.ConnectTimeout.TotalMilliseconds:0} ms.");
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        var connection = new PhysicalConnection(stream, OnConnectionFailed, _onPubSubMessage);
        connection.StartReader();
        try
        {
            await Handshake.RunAsync(connection, _options, _database, _timeoutMilliseconds, timeout.Token).ConfigureAwait(false);
            if (_afterHandshake is not null)
            {
                await _afterHandshake(connection, timeout.Token).ConfigureAwait(false);
            }
        }
        catch (Exception exception)
        {
            connection.Fail(exception, notify: false);
            await connection.DrainAsync().ConfigureAwait(false);
            if (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                throw new RedisConnectionException($"The handshake with Redis at {_options.EndPoint} timed out after {_options.ConnectTimeout.TotalMilliseconds:0} ms.", exception);
            }

            throw;
        }

        return connection;
    }

    private void OnConnectionFailed(PhysicalConnection connection) => _ = Task.Run(() => RecoverAsync(connection));

    private async Task RecoverAsync(PhysicalConnection connection)
    {
        if (Interlocked.CompareExchange(ref _current, null, connection) != connection)
        {
            // It died during its handshake: fail the handshake commands now instead of at the connect timeout.
            foreach (var command in await connection.DrainAsync().ConfigureAwait(false))
            {
                command.TrySetException(connection.Failure ?? new RedisConnectionException("The connection was lost."));
                command.ReleaseFromPipeline();
            }

            return;
        }

        var orphans = await connection.DrainAsync().ConfigureAwait(false);
        lock (_writerGate)
        {
            _writerRunning = false;
        }

        var reason = connection.Failure ?? new RedisConnectionException("The connection was lost.");
        _lastError = reason;
        if (!_disposed.IsCancellationRequested)
        {
            Log.ConnectionLost(_logger, _role, _options.EndPoint, orphans.Count, reason.Message);
            Failed?.Invoke(reason);
        }

        var now = Environment.TickCount64;
        foreach (var command in orphans)
        {
            if (command.IsCompleted)
            {
                command.ReleaseFromPipeline();
                continue;
            }

            if (command.Idempotent && command.Attempts < 1 && now < command.Deadline && !_disposed.IsCancellationRequested)
            {
                command.Attempts++;
                _backlog.Enqueue(command);
            }
            else
            {
                command.TrySetException(new RedisConnectionException(
                    $"The connection to Redis at {_options.EndPoint} broke while {command.Name} was in flight ({reason.Message}). " +
                    (command.Idempotent ? "The command was retried and failed again." : "It may or may not have run; it was not retried because it is not idempotent."),
                    reason));
                command.ReleaseFromPipeline();
            }
        }

        if (!_disposed.IsCancellationRequested)
        {
            await ConnectLoopAsync(firstConnection: false).ConfigureAwait(false);
        }
    }

    private void OnHeartbeat()
    {
        var now = Environment.TickCount64;
        var current = Volatile.Read(ref _current);
        if (current is not null)
        {
            current.ExpireTimedOut(now, TimeoutFor);
            current.RescueStalledBatches();
        }

        // A reply batch that blocked may be holding back the writer's wake-up for commands its callers sent.
        if (!_backlog.IsEmpty)
        {
            _backlog.Wake();
        }

        // While no writer runs (connecting or reconnecting) the queued commands would wait forever: expire them here.
        lock (_writerGate)
        {
            if (_writerRunning)
            {
                return;
            }

            var waiting = new List<PendingCommand>();
            while (_backlog.TryDequeue(out var command))
            {
                if (command.IsCompleted)
                {
                    command.ReleaseFromPipeline();
                    continue;
                }

                if (now > command.Deadline)
                {
                    command.TrySetException(TimeoutFor(command));
                    command.ReleaseFromPipeline();
                }
                else
                {
                    waiting.Add(command);
                }
            }

            foreach (var command in waiting)
            {
                _backlog.Enqueue(command);
            }
        }
    }

    private RedisTimeoutException TimeoutFor(PendingCommand command)
    {
        RedisTelemetry.Timeouts.Add(1);
        var current = Volatile.Read(ref _current);
        var state = current is { IsAlive: true }
            ? $"{current.InFlightCount} command(s) in flight"
            : $"the connection is down: {_lastError?.Message ?? "connecting"}";
        return new RedisTimeoutException($"Redis at {_options.EndPoint} did not answer {command.Name} in time ({_options.CommandTimeout.TotalMilliseconds:0} ms; {state}).");
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed.IsCancellationRequested)
        {
            return;
        }

        _disposed.Cancel();
        await _heartbeat.DisposeAsync().ConfigureAwait(false);
        _firstConnect.TrySetException(new ObjectDisposedException(nameof(RedisMultiplexer)));
        var disposedError = new ObjectDisposedException(nameof(RedisMultiplexer), "The Redis client was disposed before the command completed.");
        var current = Interlocked.Exchange(ref _current, null);
        if (current is not null)
        {
            current.Fail(disposedError, notify: false);
            foreach (var command in await current.DrainAsync().ConfigureAwait(false))
            {
                command.TrySetException(disposedError);
                command.ReleaseFromPipeline();
            }
        }

        _backlog.Close(disposedError);
    }
}
