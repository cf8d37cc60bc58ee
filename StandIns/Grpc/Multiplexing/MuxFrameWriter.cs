using System.Threading.Channels;
using Grpc.Core;

namespace McpPlatform.StandIns.Grpc.Multiplexing;

/// <summary>
/// The one writer of a multiplexed stream, on either side. Calls queue frames; a single loop writes them, and every
/// frame but the last of what is queued goes out with <see cref="WriteFlags.BufferHint"/>, so a burst of frames from
/// many calls costs one flush, and no call waits on a lock held by another call's write.
/// </summary>
/// <typeparam name="TFrame">The frame message.</typeparam>
internal sealed class MuxFrameWriter<TFrame>
    where TFrame : class
{
    // Bounds a burst written without a flush, so the first frames of a long burst are not held back.
    private const int MaxBatch = 64;
    private static readonly WriteOptions Buffered = new(WriteFlags.BufferHint);

    private readonly Channel<TFrame> _frames;
    private readonly IAsyncStreamWriter<TFrame> _stream;

    /// <param name="stream">The stream's writer; only this loop writes to it.</param>
    /// <param name="capacity">Frames queued before <see cref="WriteAsync"/> waits (backpressure), or null for no bound.</param>
    /// <param name="cancellationToken">Stops the loop (the stream is gone).</param>
    public MuxFrameWriter(IAsyncStreamWriter<TFrame> stream, int? capacity, CancellationToken cancellationToken)
    {
        _stream = stream;
        _frames = capacity is { } bound
            ? Channel.CreateBounded<TFrame>(new BoundedChannelOptions(bound) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait })
            : Channel.CreateUnbounded<TFrame>(new UnboundedChannelOptions { SingleReader = true });
        Completion = RunAsync(cancellationToken);
    }

    /// <summary>Ends when every queued frame was written after <see cref="Complete"/>, or faults when a write failed.</summary>
    public Task Completion { get; }

    /// <summary>Queues a frame, waiting while the queue is full; throws <see cref="ChannelClosedException"/> once the stream is gone.</summary>
    public ValueTask WriteAsync(TFrame frame, CancellationToken cancellationToken) => _frames.Writer.WriteAsync(frame, cancellationToken);

    /// <summary>Queues a frame from a place that cannot wait (a cancellation callback); dropped once the stream is gone.</summary>
    public void Post(TFrame frame)
    {
        if (!_frames.Writer.TryWrite(frame))
        {
            _ = PostSlowAsync(frame);
        }
    }

    /// <summary>No more frames: the loop ends after writing what is queued.</summary>
    public void Complete() => _frames.Writer.TryComplete();

    private async Task PostSlowAsync(TFrame frame)
    {
        try
        {
            await _frames.Writer.WriteAsync(frame).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            // The stream is gone: every call on it has been ended already.
        }
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        await Task.Yield();
        var reader = _frames.Reader;
        try
        {
            while (await reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var batch = 0;
                while (reader.TryRead(out var frame))
                {
                    var more = ++batch < MaxBatch && reader.TryPeek(out _);
                    _stream.WriteOptions = more ? Buffered : null;
                    await _stream.WriteAsync(frame, CancellationToken.None).ConfigureAwait(false);
                    if (!more)
                    {
                        break;
                    }
                }
            }
        }
        catch (Exception ex)
        {
            // Callers waiting to queue learn at once that the stream is gone.
            _frames.Writer.TryComplete(ex);
            throw;
        }
    }
}
