using System.Collections.Concurrent;
using McpPlatform.Redis.Protocol;

namespace McpPlatform.Redis.Connection;

/// <summary>
/// The write side of one socket: encodes queued commands into one pooled buffer and writes them in a single call.
/// Two parties write, never at the same time (a gate): the writer loop, woken through the backlog, and a reply batch
/// that ends (<see cref="TryWriteInline"/>), which writes the commands its callers sent on its own thread instead of
/// paying a thread-pool hop to wake the loop. Whoever releases the gate wakes the loop for anything still queued,
/// so a command queued while the gate was held is never stranded.
/// </summary>
internal sealed class ConnectionWriter
{
    private const int FlushThreshold = 64 * 1024;
    private const int Free = 0;
    private const int Busy = 1;
    private const int Closed = 2;

    private readonly Stream _stream;
    private readonly ConcurrentQueue<PendingCommand> _inFlight;
    private readonly Action<Exception> _fail;
    private readonly CancellationToken _stop;
    private readonly RespBuffer _output = new();
    private int _gate;

    public ConnectionWriter(Stream stream, ConcurrentQueue<PendingCommand> inFlight, Action<Exception> fail, CancellationToken stop)
    {
        _stream = stream;
        _inFlight = inFlight;
        _fail = fail;
        _stop = stop;
    }

    /// <summary>Sends one command straight to the socket; only for the handshake, before any other writer runs.</summary>
    public async ValueTask WriteDirectAsync(PendingCommand command, CancellationToken cancellationToken)
    {
        _output.WriteCommand(command.Name, command.Args);
        try
        {
            await _stream.WriteAsync(_output.WrittenMemory, cancellationToken).ConfigureAwait(false);
            await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _output.Clear();
        }
    }

    /// <summary>The writer loop: drains the backlog whenever it is woken, until the backlog closes or the connection dies.</summary>
    public async Task RunAsync(CommandBacklog backlog)
    {
        try
        {
            // Drain first: commands may have been queued while no writer ran, with their wake-up spent on the last one.
            do
            {
                backlog.BeginDrain();

                // A reply batch is writing: when it releases the gate it wakes this loop again for what it left.
                if (Interlocked.CompareExchange(ref _gate, Busy, Free) != Free)
                {
                    continue;
                }

                try
                {
                    bool more;
                    do
                    {
                        more = Fill(backlog);
                        if (_output.Length > 0)
                        {
                            await _stream.WriteAsync(_output.WrittenMemory, _stop).ConfigureAwait(false);
                            _output.Clear();
                            if (!more)
                            {
                                _output.ShrinkIfLarge();
                                await _stream.FlushAsync(_stop).ConfigureAwait(false);
                            }
                        }
                    }
                    while (more);
                }
                finally
                {
                    Release(backlog);
                }
            }
            while (await backlog.WaitAsync(_stop).ConfigureAwait(false));
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            _fail(exception);
        }
    }

    /// <summary>
    /// Writes what the backlog holds on the calling thread (a reply batch that just ended) when no one else is
    /// writing. False when the gate is taken or closed: the caller then wakes the loop instead. A write the socket
    /// does not take at once finishes asynchronously, holding the gate until it has.
    /// </summary>
    public bool TryWriteInline(CommandBacklog backlog)
    {
        if (Interlocked.CompareExchange(ref _gate, Busy, Free) != Free)
        {
            return false;
        }

        var handedOff = false;
        try
        {
            if (_stop.IsCancellationRequested)
            {
                // A dying connection: leave the commands in the backlog for the next one.
                return false;
            }

            Fill(backlog);
            if (_output.Length > 0)
            {
                var write = _stream.WriteAsync(_output.WrittenMemory, _stop);
                if (!write.IsCompletedSuccessfully)
                {
                    handedOff = true;
                    _ = FinishInlineWriteAsync(write, backlog);
                    return true;
                }

                write.GetAwaiter().GetResult();
                _output.Clear();
            }
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            _fail(exception);
        }
        finally
        {
            if (!handedOff)
            {
                Release(backlog);
            }
        }

        return true;
    }

    /// <summary>Waits for a write in progress to end and shuts the gate for good; then the in-flight queue is final.</summary>
    public async Task CloseAsync()
    {
        while (Interlocked.CompareExchange(ref _gate, Closed, Free) is var seen && seen != Free && seen != Closed)
        {
            // A write in progress on a dead socket ends quickly (the stream is disposed); it cannot block here.
            await Task.Yield();
        }

        _output.Dispose();
    }

    private async Task FinishInlineWriteAsync(ValueTask write, CommandBacklog backlog)
    {
        try
        {
            await write.ConfigureAwait(false);
            _output.Clear();
            _output.ShrinkIfLarge();
            await _stream.FlushAsync(_stop).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            _fail(exception);
        }
        finally
        {
            Release(backlog);
        }
    }

    /// <summary>
    /// Moves queued commands into the in-flight queue and the output buffer, in order, until the backlog is empty
    /// (false) or the buffer reached <see cref="FlushThreshold"/> (true: write, then fill again).
    /// </summary>
    private bool Fill(CommandBacklog backlog)
    {
        // A command is queued as in flight before its bytes are written, so the reader can never receive a reply it
        // cannot match, and a failure mid-write still finds it.
        while (backlog.TryDequeue(out var command))
        {
            if (command.IsCompleted)
            {
                command.ReleaseFromPipeline();
                continue;
            }

            _inFlight.Enqueue(command);
            _output.WriteCommand(command.Name, command.Args);
            if (_output.Length >= FlushThreshold)
            {
                return true;
            }
        }

        return false;
    }

    private void Release(CommandBacklog backlog)
    {
        // Interlocked (a full fence) before looking at the queue: see the class remarks.
        Interlocked.CompareExchange(ref _gate, Free, Busy);
        if (!backlog.IsEmpty)
        {
            backlog.Wake();
        }
    }
}
