using System.Text;

namespace McpPlatform.Redis.Tests.Connection;

/// <summary>
/// A write-only stream that records what was written and on which thread. While <see cref="Hold"/> is set, a write
/// records its bytes at once but completes only when the hold is released (a socket whose buffer is full).
/// </summary>
internal sealed class RecordingStream : Stream
{
    private readonly Lock _gate = new();
    private readonly StringBuilder _written = new();
    private readonly List<int> _threads = [];
    private readonly SemaphoreSlim _writes = new(0);

    public TaskCompletionSource? Hold { get; set; }

    /// <summary>When set, every write fails with it (a socket that died).</summary>
    public Exception? Fault { get; set; }

    public string Written
    {
        get
        {
            lock (_gate)
            {
                return _written.ToString();
            }
        }
    }

    public IReadOnlyList<int> WritingThreads
    {
        get
        {
            lock (_gate)
            {
                return [.. _threads];
            }
        }
    }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <summary>Waits until the <paramref name="count"/>-th write since the stream was created has begun.</summary>
    public async Task WaitForWritesAsync(int count, CancellationToken cancellationToken)
    {
        for (var i = 0; i < count; i++)
        {
            await _writes.WaitAsync(cancellationToken);
        }

        _writes.Release(count);
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (Fault is { } fault)
        {
            return ValueTask.FromException(fault);
        }

        lock (_gate)
        {
            _written.Append(Encoding.UTF8.GetString(buffer.Span));
            _threads.Add(Environment.CurrentManagedThreadId);
        }

        _writes.Release();
        return Hold is { } hold ? new ValueTask(hold.Task.WaitAsync(cancellationToken)) : ValueTask.CompletedTask;
    }

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
