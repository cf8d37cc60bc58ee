using System.Buffers;
using McpPlatform.Redis.Protocol;

namespace McpPlatform.Redis.Connection;

/// <summary>
/// The read side. Reading is a chain of callbacks, one socket read outstanding at a time: each completed read is parsed
/// and its replies paired into a <see cref="ReplyBatch"/>; then the next read is issued, and when it is pending (the
/// usual case: the server has nothing more yet), reading has passed to that read's continuation and this thread runs
/// the batch itself. That saves the thread-pool hop of queueing the batch, yet a caller blocking in its continuation
/// cannot stop the reading: the next reply is parsed by whichever thread the socket completes on. When the next read
/// completes at once (more bytes were waiting), the batch goes to the thread pool as before and reading goes on here.
/// </summary>
internal sealed partial class PhysicalConnection
{
    private readonly TaskCompletionSource _readerDone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Action _onReadCompleted;
    private byte[] _readBuffer = [];
    private int _readStart;
    private int _readEnd;
    private ValueTask<int> _pendingRead;

    public void StartReader()
    {
        _readBuffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        ThreadPool.UnsafeQueueUserWorkItem(static connection => connection.ReadMore(null), this, preferLocal: false);
    }

    /// <summary>Issues reads until one is pending, dispatching what each returned; then runs <paramref name="batch"/> here.</summary>
    private void ReadMore(ReplyBatch? batch)
    {
        try
        {
            while (true)
            {
                if (_readEnd == _readBuffer.Length)
                {
                    _readBuffer = MakeRoom(_readBuffer, ref _readStart, ref _readEnd);
                }

                var read = _stream.ReadAsync(_readBuffer.AsMemory(_readEnd), _stop.Token);
                if (!read.IsCompleted)
                {
                    // From here on the buffer belongs to the pending read's continuation (maybe running already).
                    _pendingRead = read;
                    read.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(_onReadCompleted);
                    break;
                }

                if (batch is not null)
                {
                    Run(batch);
                    batch = null;
                }

                Consume(read.GetAwaiter().GetResult(), ref batch);
            }
        }
        catch (Exception exception)
        {
            EndReading(exception, batch);
            return;
        }

        // Outside the try: whatever the callers do, it must not end a reading that is no longer this thread's.
        if (batch is not null)
        {
            RunInline(batch);
        }
    }

    private void OnReadCompleted()
    {
        ReplyBatch? batch = null;
        try
        {
            var read = _pendingRead;
            _pendingRead = default;
            Consume(read.GetAwaiter().GetResult(), ref batch);
        }
        catch (Exception exception)
        {
            EndReading(exception, batch);
            return;
        }

        ReadMore(batch);
    }

    /// <summary>Parses the bytes one read added; complete replies are paired into <paramref name="batch"/> (or handed to pub/sub).</summary>
    private void Consume(int read, ref ReplyBatch? batch)
    {
        if (read == 0)
        {
            throw new RedisConnectionException("Redis closed the connection.");
        }

        _readEnd += read;
        while (_readStart < _readEnd && RespParser.TryRead(_readBuffer.AsSpan(_readStart, _readEnd - _readStart), out var reply, out var consumed))
        {
            _readStart += consumed;
            Dispatch(reply!, ref batch);
        }

        if (_readStart == _readEnd)
        {
            _readStart = _readEnd = 0;
        }
    }

    private void EndReading(Exception exception, ReplyBatch? batch)
    {
        // Even when the stream turns out corrupt: the replies already paired are good and must be delivered.
        if (batch is not null)
        {
            Run(batch);
        }

        Fail(_stop.IsCancellationRequested ? Failure ?? exception
            : exception is RedisException ? exception
            : new RedisConnectionException("Reading from Redis failed: " + exception.Message, exception));
        ArrayPool<byte>.Shared.Return(_readBuffer);
        _readBuffer = [];
        _readerDone.TrySetResult();
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

    private void RunInline(ReplyBatch batch)
    {
        lock (_batchGate)
        {
            _runningBatches.Add(batch);
        }

        ((IThreadPoolWorkItem)batch).Execute();
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
