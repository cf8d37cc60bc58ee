using System.Buffers;
using System.Collections.Concurrent;
using McpPlatform.Redis.Protocol;

namespace McpPlatform.Redis.Connection;

/// <summary>
/// One socket to Redis: a reader loop that parses replies, pairs each with the oldest in-flight command and hands
/// every read's worth of them to a <see cref="ReplyBatch"/> on the thread pool, and (once the handshake is done) a
/// <see cref="ConnectionWriter"/> that drains the shared backlog, encodes every queued command into one pooled buffer
/// and writes it in a single call, which is what pipelines concurrent callers.
/// </summary>
internal sealed class PhysicalConnection
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
    private Task _reader = Task.CompletedTask;
    private Task _writeLoop = Task.CompletedTask;
    private int _failed;

    public PhysicalConnection(Stream stream, Action<PhysicalConnection> onFailed, Action<RedisResult>? onPubSubMessage)
    {
        _stream = stream;
        _onFailed = onFailed;
        _onPubSubMessage = onPubSubMessage;
        _batchFinished = OnBatchFinished;
        var token = _stop.Token;
        _writer = new ConnectionWriter(stream, _inFlight, exception => Fail(token.IsCancellationRequested ? Failure ?? exception
            : new RedisConnectionException("Writing to Redis failed: " + exception.Message, exception)), token);
    }

    /// <summary>Why the connection died (null while it is alive).</summary>
    public Exception? Failure { get; private set; }

    public bool IsAlive => Volatile.Read(ref _failed) == 0;

    public int InFlightCount => _inFlight.Count;

    public void StartReader() => _reader = Task.Run(ReadLoopAsync);

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
        await Task.WhenAll(_reader, _writeLoop).ConfigureAwait(false);

        // A reply batch may be writing inline: wait for it, so every command it took from the backlog is counted.
        await _writer.CloseAsync().ConfigureAwait(false);
        var orphans = new List<PendingCommand>();
        while (_inFlight.TryDequeue(out var command))
        {
            orphans.Add(command);
        }

        return orphans;
    }

    private async Task ReadLoopAsync()
    {
        var token = _stop.Token;
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        int start = 0, end = 0;
        try
        {
            while (true)
            {
                if (end == buffer.Length)
                {
                    buffer = MakeRoom(buffer, ref start, ref end);
                }

                var read = await _stream.ReadAsync(buffer.AsMemory(end), token).ConfigureAwait(false);
                if (read == 0)
                {
                    throw new RedisConnectionException("Redis closed the connection.");
                }

                end += read;
                ReplyBatch? batch = null;
                try
                {
                    while (start < end && RespParser.TryRead(buffer.AsSpan(start, end - start), out var reply, out var consumed))
                    {
                        start += consumed;
                        Dispatch(reply!, ref batch);
                    }
                }
                finally
                {
                    // Even when the stream turns out corrupt: the replies already paired are good and must be delivered.
                    if (batch is not null)
                    {
                        Run(batch);
                    }
                }

                if (start == end)
                {
                    start = end = 0;
                }
            }
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            Fail(token.IsCancellationRequested ? Failure ?? exception
                : exception is RedisException ? exception
                : new RedisConnectionException("Reading from Redis failed: " + exception.Message, exception));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void Dispatch(RedisResult reply, ref ReplyBatch? batch)
    {
        if (_onPubSubMessage is not null && IsPubSubMessage(reply))
        {
            _onPubSubMessage(reply);
            return;
        }

        if (reply.Type == RedisResultType.Push && _onPubSubMessage is null)
        {
            // Out-of-band data on a command connection (no tracking is enabled, so nothing we asked for).
            return;
        }

        if (!_inFlight.TryDequeue(out var command))
        {
            throw new RedisConnectionException("Redis sent a reply with no command waiting for it; the connection is out of step and is reset.");
        }

        batch ??= Interlocked.Exchange(ref _spareBatch, null) ?? new ReplyBatch(_batchFinished);
        batch.Add(command, reply);
    }

    private void Run(ReplyBatch batch)
    {
        lock (_batchGate)
        {
            _runningBatches.Add(batch);
        }

        ThreadPool.UnsafeQueueUserWorkItem(batch, preferLocal: true);
    }

    private void OnBatchFinished(ReplyBatch batch)
    {
        // Under the gate: a hand-off in progress on this batch finishes before the batch can be reused.
        lock (_batchGate)
        {
            _runningBatches.Remove(batch);
        }

        batch.Reset();
        Volatile.Write(ref _spareBatch, batch);
    }

    private static bool IsPubSubMessage(RedisResult reply)
    {
        if (!reply.IsAggregate || reply.Items.Count < 3)
        {
            return false;
        }

        var kind = reply.Items[0].Value.AsMemory().Span;
        return kind.SequenceEqual("message"u8) || kind.SequenceEqual("pmessage"u8) || kind.SequenceEqual("smessage"u8);
    }

    private static byte[] MakeRoom(byte[] buffer, ref int start, ref int end)
    {
        if (start > 0)
        {
            buffer.AsSpan(start, end - start).CopyTo(buffer);
            end -= start;
            start = 0;
            return buffer;
        }

        // A reply larger than the buffer (a big value): double it.
        var bigger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
        buffer.AsSpan(0, end).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(buffer);
        return bigger;
    }
}
