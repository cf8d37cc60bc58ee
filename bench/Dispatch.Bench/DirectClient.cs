using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.IO.Pipelines;
using System.Text;
using McpPlatform.Protocol.JsonRpc;

namespace McpPlatform.Bench.Dispatch;

/// <summary>
/// The baseline: a lean JSON-RPC line client on one echo server process's stdin/stdout (what an MCP client on the
/// same machine would do), with at most <c>perProcess</c> calls in flight on it, as the worker allows per slot.
/// </summary>
internal sealed class DirectClient : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Stream _stdin;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly SemaphoreSlim _inFlight;
    private readonly ConcurrentDictionary<long, TaskCompletionSource<byte[]>> _pending = new();
    private readonly Task _reader;
    private long _nextId;

    private DirectClient(Process process, int perProcess)
    {
        _process = process;
        _stdin = process.StandardInput.BaseStream;
        _inFlight = new SemaphoreSlim(perProcess, perProcess);
        _reader = Task.Run(ReadAsync);
    }

    public static async Task<DirectClient> StartAsync(Children children, int perProcess)
    {
        var process = await children.StartAsync("dotnet", [Children.Output("samples/EchoServer", "EchoServer.dll")], stdio: true);
        var client = new DirectClient(process, perProcess);
        await client.SendAsync("""{"jsonrpc":"2.0","id":ID,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"bench","version":"1"}}}""");
        await client.WriteLineAsync(Encoding.UTF8.GetBytes("""{"jsonrpc":"2.0","method":"notifications/initialized"}"""));
        return client;
    }

    /// <summary>One <c>tools/call</c> of <c>echo</c>; returns the response line.</summary>
    public async Task<byte[]> EchoAsync()
    {
        await _inFlight.WaitAsync();
        try
        {
            return await SendAsync("""{"jsonrpc":"2.0","id":ID,"method":"tools/call","params":{"name":"echo","arguments":{"text":"hello"}}}""");
        }
        finally
        {
            _inFlight.Release();
        }
    }

    private async Task<byte[]> SendAsync(string template)
    {
        var id = Interlocked.Increment(ref _nextId);
        var answer = new TaskCompletionSource<byte[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = answer;
        await WriteLineAsync(Encoding.UTF8.GetBytes(template.Replace("ID", id.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)));
        return await answer.Task;
    }

    private async Task WriteLineAsync(byte[] line)
    {
        await _writeLock.WaitAsync();
        try
        {
            await _stdin.WriteAsync(line);
            _stdin.WriteByte((byte)'\n');
            await _stdin.FlushAsync();
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private async Task ReadAsync()
    {
        var reader = PipeReader.Create(_process.StandardOutput.BaseStream);
        while (true)
        {
            var read = await reader.ReadAsync();
            var buffer = read.Buffer;
            while (buffer.PositionOf((byte)'\n') is { } end)
            {
                var line = buffer.Slice(0, end).ToArray();
                buffer = buffer.Slice(buffer.GetPosition(1, end));
                var envelope = JsonRpcEnvelope.Parse(line);
                if (envelope.Kind == JsonRpcKind.Response
                    && long.TryParse(envelope.RawId(line), NumberStyles.None, CultureInfo.InvariantCulture, out var id)
                    && _pending.TryRemove(id, out var answer))
                {
                    answer.TrySetResult(line);
                }
            }

            reader.AdvanceTo(buffer.Start, buffer.End);
            if (read.IsCompleted)
            {
                foreach (var answer in _pending.Values)
                {
                    answer.TrySetException(new IOException("The echo server's stdout ended."));
                }

                return;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stdin.Close();
        await _reader.ConfigureAwait(false);
    }
}
