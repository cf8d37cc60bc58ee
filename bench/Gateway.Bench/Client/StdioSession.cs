using System.Diagnostics;
using System.Text;

namespace McpPlatform.Bench.Gateway.Client;

/// <summary>A direct stdio client: its own server process, JSON-RPC as lines on stdin and stdout.</summary>
public sealed class StdioSession : McpSession
{
    private readonly Process _process;
    private readonly PendingAnswers _answers = new();
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly Stream _stdin;
    private readonly Task _reading;
    private readonly Action<StdioSession>? _disposed;

    /// <summary>Starts the server process; <paramref name="disposed"/> runs once the session is disposed.</summary>
    public StdioSession(ProcessStartInfo start, Action<StdioSession>? disposed = null)
    {
        _disposed = disposed;
        start.RedirectStandardInput = true;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        _process = Process.Start(start) ?? throw new InvalidOperationException($"{start.FileName} did not start");
        ProcessId = _process.Id;
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginErrorReadLine();
        _stdin = _process.StandardInput.BaseStream;
        _reading = ReadAsync();
    }

    public int ProcessId { get; private init; }

    public override async Task InitializeAsync(CancellationToken cancellationToken)
    {
        var answer = await SendAsync(1, JsonRpc.Initialize(1), cancellationToken).ConfigureAwait(false);
        if (answer.Message is null)
        {
            throw new InvalidOperationException($"initialize: {answer.Failure}");
        }
        await WriteAsync(JsonRpc.Initialized, cancellationToken).ConfigureAwait(false);
    }

    protected override async Task<RawAnswer> SendAsync(long id, byte[] request, CancellationToken cancellationToken)
    {
        var answer = _answers.Expect(id);
        try
        {
            await WriteAsync(request, cancellationToken).ConfigureAwait(false);
            return await answer.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException ex)
        {
            _answers.Forget(id);
            return RawAnswer.None(CallOutcome.Lost(ex.Message));
        }
        catch
        {
            _answers.Forget(id);
            throw;
        }
    }

    private async Task WriteAsync(byte[] message, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _stdin.WriteAsync(message, cancellationToken).ConfigureAwait(false);
            _stdin.WriteByte((byte)'\n');
            await _stdin.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private async Task ReadAsync()
    {
        var stdout = _process.StandardOutput;
        while (await stdout.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            if (line.Length > 0)
            {
                _answers.Deliver(Encoding.UTF8.GetBytes(line));
            }
        }
        _answers.FailAll(CallOutcome.Lost("the server process ended"));
    }

    public override async ValueTask DisposeAsync()
    {
        try
        {
            _stdin.Close();
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await _process.WaitForExitAsync(grace.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
            _process.Kill(entireProcessTree: true);
        }
        await _reading.ConfigureAwait(false);
        _disposed?.Invoke(this);
        _process.Dispose();
        _writeLock.Dispose();
    }
}
