using System.Collections.Concurrent;

namespace McpPlatform.Redis.Connection;

/// <summary>
/// One socket to Redis: a reader (PhysicalConnection.Reading.cs) that parses replies, pairs each with the oldest
/// in-flight command and completes every read's worth of them as one <see cref="ReplyBatch"/>, and (once the handshake is done) a
/// <see cref="ConnectionWriter"/> that drains the shared backlog, encodes every queued command into one pooled buffer
/// and writes it in a single call, which is what pipelines concurrent callers.
/// </summary>
internal sealed partial class PhysicalConnection
{
    private readonly Stream _stream;
    private readonly ConcurrentQueue<PendingCommand> _inFlight = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Action<PhysicalConnection> _onFailed;
    private readonly Action<RedisResult>? _onPubSubMessage;
    private readonly ConnectionWriter _writer;
    private readonly List<ReplyBatch> _runningBatches = [];
    private readonly Lock _batchGate = new();
    private readonly Action<ReplyBatch> _batchFinished;
    private ReplyBatch? _spareBatch;
    private Task _writeLoop = Task.CompletedTask;
    private int _failed;

    public PhysicalConnection(Stream stream, Action<PhysicalConnection> onFailed, Action<RedisResult>? onPubSubMessage)
    {
        _stream = stream;
        _onFailed = onFailed;
        _onPubSubMessage = onPubSubMessage;
        _batchFinished = OnBatchFinished;
        _onReadCompleted = OnReadCompleted;
        var token = _stop.Token;
        _writer = new ConnectionWriter(stream, _inFlight, exception => Fail(token.IsCancellationRequested ? Failure ?? exception
            : new RedisConnectionException("Writing to Redis failed: " + exception.Message, exception)), token);
    }

    /// <summary>Why the connection died (null while it is alive).</summary>
    public Exception? Failure { get; private set; }

    public bool IsAlive => Volatile.Read(ref _failed) == 0;

    public int InFlightCount => _inFlight.Count;


    /// <summary>Starts the writer loop and lets reply batches that end write through this connection (see <see cref="ConnectionWriter"/>).</summary>
    public void StartWriter(CommandBacklog backlog)
    {
        _writeLoop = Task.Run(() => _writer.RunAsync(backlog));
        backlog.AttachWriter(_writer);
    }

    /// <summary>Sends one command straight to the socket; only for the handshake, before the writer loop runs.</summary>
    public async ValueTask<RedisResult> SendDirectAsync(PendingCommand command, CancellationToken cancellationToken)
    {
        command.RegisterCancellation(cancellationToken);
        _inFlight.Enqueue(command);

        // A peer that sends garbage before the first command kills the connection before it was queued: report why
        // it died, not the disposed stream or a handshake timeout.
        ThrowIfFailed();
        try
        {
            await _writer.WriteDirectAsync(command, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (!IsAlive && exception is not OperationCanceledException)
        {
            ThrowIfFailed();
            throw;
        }

        return await command.Task.ConfigureAwait(false);
    }

    private void ThrowIfFailed()
    {
        if (!IsAlive)
        {
            var failure = Failure ?? new RedisConnectionException("The connection was lost.");
            throw new RedisConnectionException(failure.Message, failure);
        }
    }

    /// <summary>Fails every in-flight command whose deadline has passed (called by the engine's heartbeat).</summary>
    public void ExpireTimedOut(long now, Func<PendingCommand, Exception> timeout)
    {
        // The enumeration is a snapshot: it may still show a command whose reply was handled and which was reused
        // since; TryExpire only ever completes the incarnation it looked at.
        foreach (var command in _inFlight)
        {
            command.TryExpire(now, timeout);
        }
    }

    /// <summary>
    /// Hands the rest of any reply batch that made no progress since the previous call to the thread pool, one
    /// continuation per work item (called by the engine's heartbeat): a caller that blocks in its continuation
    /// delays the others in its batch by at most two heartbeats.
    /// </summary>
    public bool RescueStalledBatches()
    {
        var rescued = false;
        lock (_batchGate)
        {
            foreach (var batch in _runningBatches)
            {
                if (batch.IsStalled())
                {
                    batch.HandOffRemaining();
                    rescued = true;
                }
            }
        }

        return rescued;
    }

    /// <summary>Kills the connection; the engine is told once, through the callback given at construction.</summary>
    public void Fail(Exception reason, bool notify = true)
    {
        if (Interlocked.Exchange(ref _failed, 1) != 0)
        {
            return;
        }

        Failure = reason;
        _stop.Cancel();
        _stream.Dispose();
        if (notify)
        {
            _onFailed(this);
        }
    }

    /// <summary>Waits for both loops to end, then hands back the commands that never got a reply.</summary>
    public async Task<List<PendingCommand>> DrainAsync()
    {
        await Task.WhenAll(_readerDone.Task, _writeLoop).ConfigureAwait(false);

        // A reply batch may be writing inline: wait for it, so every command it took from the backlog is counted.
        await _writer.CloseAsync().ConfigureAwait(false);
        var orphans = new List<PendingCommand>();
        while (_inFlight.TryDequeue(out var command))
        {
            orphans.Add(command);
        }

        return orphans;
    }
}
