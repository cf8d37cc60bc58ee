using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using System.IO.Pipes;
using System.Runtime.InteropServices;
using System.Threading.Channels;
using McpPlatform.Processes;
using Microsoft.Win32.SafeHandles;

namespace McpPlatform.Worker.Host.Processes;

/// <summary>
/// One stdio server process: newline-delimited JSON-RPC in and out, a single writer for stdin,
/// stderr turned into structured logs, and a whole-process-group kill that always ends in a reap.
/// </summary>
internal sealed class StdioProcess : IAsyncDisposable
{
    private const int MaxStderrLine = 4096;

    // More messages than a full stdin pipe holds (64 KiB of at least ~40-byte messages), so any message older than that
    // was surely read.
    private const int EndOffsetsKept = 4096;

    private readonly Process _process;
    private readonly string _server;
    private readonly int _maxLineBytes;
    private readonly IStdioMessageHandler _handler;
    private readonly ILogger _logger;
    private readonly Channel<(byte[] Buffer, int Length, long Sequence)> _outgoing =
        Channel.CreateUnbounded<(byte[], int, long)>(new UnboundedChannelOptions { SingleReader = true, AllowSynchronousContinuations = false });
    private readonly Lock _queueOrder = new();
    private readonly Lock _stdinGate = new();
    // End offset (bytes written to stdin after it) of each recent message, by sequence; see WasReceived.
    private readonly long[] _endOffsets = new long[EndOffsetsKept];
    private long _queued;
    private long _written;
    private long _bytesWritten;
    private long _unreadAtExit = -1;
    private bool _stdinClosed;
    private readonly Queue<string> _recentStderr = new();
    private string? _stopReason;

    private StdioProcess(Process process, string server, int maxLineBytes, IStdioMessageHandler handler, ILogger logger)
    {
        _process = process;
        _server = server;
        _maxLineBytes = maxLineBytes;
        _handler = handler;
        _logger = logger;
        Pid = process.Id;
        var writer = Task.Run(WriteLoopAsync);
        var reader = Task.Run(ReadLoopAsync);
        var stderr = Task.Run(StderrLoopAsync);
        Completion = MonitorAsync(writer, reader, stderr);
    }

    public int Pid { get; }

    /// <summary>Completes (never faults) once the process has exited, been reaped and its group killed.</summary>
    public Task Completion { get; }

    /// <summary>The first reason the process stopped: a kill, a protocol violation, or its own exit.</summary>
    public string? StopReason => Volatile.Read(ref _stopReason);

    public int? ExitCode => _process.HasExited ? _process.ExitCode : null;

    /// <summary>The last few stderr lines, for error messages about failed starts.</summary>
    public string RecentStderr
    {
        get
        {
            lock (_recentStderr)
            {
                return string.Join(" | ", _recentStderr);
            }
        }
    }

    public static async Task<StdioProcess> StartAsync(
        ProcessLauncher launcher, ProcessStartInfo info, string server, int maxLineBytes,
        IStdioMessageHandler handler, ILogger logger, CancellationToken cancellationToken)
    {
        var process = await launcher.StartAsync(info, cancellationToken).ConfigureAwait(false);
        ProcessLog.Started(logger, server, process.Id);
        return new StdioProcess(process, server, maxLineBytes, handler, logger);
    }

    /// <summary>Queues one message (a newline is appended). False once stdin is closed.</summary>
    public bool TryWrite(ReadOnlySpan<byte> json) => TryWrite(json, out _);

    /// <summary>
    /// Queues one message and gives its place in the write order, for <see cref="WasReceived"/>; a message that could not
    /// be queued (stdin closed) gets <see cref="long.MaxValue"/>, which is never written.
    /// </summary>
    public bool TryWrite(ReadOnlySpan<byte> json, out long sequence)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(json.Length + 1);
        json.CopyTo(buffer);
        buffer[json.Length] = (byte)'\n';
        lock (_queueOrder)
        {
            sequence = ++_queued;
            if (_outgoing.Writer.TryWrite((buffer, json.Length + 1, sequence)))
            {
                return true;
            }
        }

        sequence = long.MaxValue;
        ArrayPool<byte>.Shared.Return(buffer);
        return false;
    }

    /// <summary>
    /// Whether the process can have read the whole message queued as <paramref name="sequence"/>; asked once the
    /// process has ended (<see cref="Completion"/>). False only when it provably did not: the message never reached
    /// the stdin pipe (stdin broke, or closed before its turn), or its last byte was still unread in the pipe when the
    /// process died. Without that proof (stdin closed before the exit, a platform without FIONREAD) it is true: a
    /// request the process may have run is never reported as unreceived.
    /// </summary>
    public bool WasReceived(long sequence)
    {
        if (sequence > Volatile.Read(ref _written))
        {
            return false;
        }

        var unread = Volatile.Read(ref _unreadAtExit);
        if (unread < 0 || Volatile.Read(ref _written) - sequence >= EndOffsetsKept)
        {
            return true;
        }

        // Its newline may be unread; everything before it must be, or a streaming parser may have acted on it.
        var read = Volatile.Read(ref _bytesWritten) - unread;
        return _endOffsets[sequence % EndOffsetsKept] - 1 <= read;
    }

    /// <summary>Kills the whole process group at once; the first reason given is kept.</summary>
    public void Kill(string reason)
    {
        Interlocked.CompareExchange(ref _stopReason, reason, null);
        KillGroup();
    }

    /// <summary>Closes stdin (the polite MCP shutdown), waits up to <paramref name="grace"/>, then kills the group.</summary>
    public async Task StopAsync(TimeSpan grace, string reason)
    {
        Interlocked.CompareExchange(ref _stopReason, reason, null);
        _outgoing.Writer.TryComplete();
        try
        {
            await Completion.WaitAsync(grace).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            KillGroup();
        }

        await Completion.ConfigureAwait(false);
    }

    /// <summary>Resident set size from /proc, or null when the process is gone or /proc is absent.</summary>
    public long? ReadRssBytes()
    {
        try
        {
            var statm = File.ReadAllText($"/proc/{Pid}/statm");
            var fields = statm.Split(' ', 3);
            return fields.Length > 1 && long.TryParse(fields[1], out var pages) ? pages * Environment.SystemPageSize : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Kill("disposed");
        await Completion.ConfigureAwait(false);
        _process.Dispose();
    }

    private void KillGroup()
    {
        if (!ProcessGroups.Available || !Posix.SignalGroup(Pid, Posix.SIGKILL))
        {
            try
            {
                _process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // Already exited and reaped.
            }
        }
    }

    private async Task MonitorAsync(Task writer, Task reader, Task stderr)
    {
        // 1. Wait for the leader to exit (the runtime reaps it). 2. Kill what is left of its group, so
        // grandchildren holding stdout open cannot keep the readers alive. 3. Let the readers drain.
        await _process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        Interlocked.CompareExchange(ref _stopReason, $"the process exited with code {_process.ExitCode}", null);
        if (ProcessGroups.Available)
        {
            Posix.SignalGroup(Pid, Posix.SIGKILL);
        }

        // The leader is dead: what it left unread in its stdin pipe stays there (no reader any more), and nothing more
        // gets in. Counted before stdin closes; the byte total is final once the writer has stopped (below).
        lock (_stdinGate)
        {
            if (!_stdinClosed && Posix.UnreadBytes(StdinHandle()) is { } unread)
            {
                Volatile.Write(ref _unreadAtExit, unread);
            }
        }

        _outgoing.Writer.TryComplete();
        try
        {
            await Task.WhenAll(writer, reader, stderr).WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // A reader still blocked after the group was killed: nothing more to read that matters.
            Volatile.Write(ref _unreadAtExit, -1);
        }

        CloseStdin();

        ProcessLog.Exited(_logger, _server, Pid, _process.ExitCode, StopReason ?? "exited");
    }

    private async Task WriteLoopAsync()
    {
        var stdin = _process.StandardInput.BaseStream;
        var reader = _outgoing.Reader;
        var broken = false;
        try
        {
            while (await reader.WaitToReadAsync().ConfigureAwait(false))
            {
                while (reader.TryRead(out var item))
                {
                    try
                    {
                        await stdin.WriteAsync(item.Buffer.AsMemory(0, item.Length)).ConfigureAwait(false);
                        var end = Volatile.Read(ref _bytesWritten) + item.Length;
                        _endOffsets[item.Sequence % EndOffsetsKept] = end;
                        Volatile.Write(ref _bytesWritten, end);
                        Volatile.Write(ref _written, item.Sequence);
                    }
                    finally
                    {
                        ArrayPool<byte>.Shared.Return(item.Buffer);
                    }
                }

                await stdin.FlushAsync().ConfigureAwait(false);
            }
        }
        catch (IOException e)
        {
            // The pipe broke: the process has died. stdin stays open until MonitorAsync has counted what is unread.
            broken = true;
            ProcessLog.StdinClosed(_logger, _server, Pid, e.Message);
        }
        finally
        {
            _outgoing.Writer.TryComplete();
            while (reader.TryRead(out var item))
            {
                ArrayPool<byte>.Shared.Return(item.Buffer);
            }

            // Closed here when the queue was completed (a stop, or after the exit): EOF is how a stop asks the
            // process to end.
            if (!broken)
            {
                CloseStdin();
            }
        }
    }

    private SafeHandle StdinHandle() => _process.StandardInput.BaseStream switch
    {
        PipeStream pipe => pipe.SafePipeHandle,
        FileStream file => file.SafeFileHandle,
        _ => new SafeFileHandle(),
    };

    private void CloseStdin()
    {
        lock (_stdinGate)
        {
            if (_stdinClosed)
            {
                return;
            }

            _stdinClosed = true;
            try
            {
                _process.StandardInput.BaseStream.Close();
            }
            catch (IOException)
            {
                // The pipe is already broken; the process is going away.
            }
        }
    }

    private async Task ReadLoopAsync()
    {
        var pipe = PipeReader.Create(_process.StandardOutput.BaseStream, new StreamPipeReaderOptions(bufferSize: 65536, minimumReadSize: 16384));
        try
        {
            while (true)
            {
                var result = await pipe.ReadAsync().ConfigureAwait(false);
                var buffer = result.Buffer;
                while (buffer.PositionOf((byte)'\n') is { } newline)
                {
                    Dispatch(buffer.Slice(0, newline));
                    buffer = buffer.Slice(buffer.GetPosition(1, newline));
                }

                if (buffer.Length > _maxLineBytes)
                {
                    Violation($"it wrote a line longer than {_maxLineBytes} bytes to stdout");
                    return;
                }

                pipe.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted)
                {
                    Interlocked.CompareExchange(ref _stopReason, "it closed its stdout", null);
                    KillGroup();
                    return;
                }
            }
        }
        catch (IOException)
        {
            KillGroup();
        }
        finally
        {
            await pipe.CompleteAsync().ConfigureAwait(false);
            _handler.OnOutputEnded();
        }
    }

    private void Dispatch(ReadOnlySequence<byte> line)
    {
        if (line.Length > _maxLineBytes)
        {
            Violation($"it wrote a line longer than {_maxLineBytes} bytes to stdout");
            return;
        }

        if (line.IsSingleSegment)
        {
            Deliver(line.FirstSpan);
            return;
        }

        var length = (int)line.Length;
        var copy = ArrayPool<byte>.Shared.Rent(length);
        line.CopyTo(copy);
        Deliver(copy.AsSpan(0, length));
        ArrayPool<byte>.Shared.Return(copy);
    }

    private void Deliver(ReadOnlySpan<byte> line)
    {
        if (line.Length > 0 && line[^1] == (byte)'\r')
        {
            line = line[..^1];
        }

        if (!line.IsEmpty && StopReason is null)
        {
            _handler.OnMessage(line);
        }
    }

    private void Violation(string reason)
    {
        ProcessLog.ProtocolViolation(_logger, _server, Pid, reason);
        Kill(reason);
    }

    private async Task StderrLoopAsync()
    {
        var stderr = _process.StandardError;
        while (await stderr.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            if (line.Length > MaxStderrLine)
            {
                line = line[..MaxStderrLine];
            }

            ProcessLog.Stderr(_logger, _server, Pid, line);
            lock (_recentStderr)
            {
                _recentStderr.Enqueue(line);
                if (_recentStderr.Count > 5)
                {
                    _recentStderr.Dequeue();
                }
            }
        }
    }
}
