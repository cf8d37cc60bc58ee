namespace McpPlatform.Bench.Gateway.Client;

/// <summary>One MCP session as the bench drives it: initialize, then tools/call, then close.</summary>
public abstract class McpSession : IAsyncDisposable
{
    private static int s_sessions;
    private long _nextId;

    protected McpSession() => Number = Interlocked.Increment(ref s_sessions);

    /// <summary>A run-wide number, part of every payload this session sends.</summary>
    public int Number { get; }

    /// <summary>initialize, its answer, then notifications/initialized: the session is ready when this returns.</summary>
    public abstract Task InitializeAsync(CancellationToken cancellationToken);

    /// <summary>Sends one request and returns the raw answer (null when none came), throwing only on cancellation.</summary>
    protected abstract Task<RawAnswer> SendAsync(long id, byte[] request, CancellationToken cancellationToken);

    /// <summary>Calls echo with a unique payload and checks the answer against it.</summary>
    public async Task<CallOutcome> EchoAsync(CancellationToken cancellationToken)
    {
        var id = Interlocked.Increment(ref _nextId) + 1;
        var text = JsonRpc.UniquePayload(Number, id);
        return await CallAsync(id, "echo", JsonRpc.EchoArguments(text), text, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Calls any tool; the answer is checked for its id and for errors, not for content.</summary>
    public Task<CallOutcome> CallToolAsync(string tool, string arguments, CancellationToken cancellationToken) =>
        CallAsync(Interlocked.Increment(ref _nextId) + 1, tool, arguments, null, cancellationToken);

    private async Task<CallOutcome> CallAsync(long id, string tool, string arguments, string? expected, CancellationToken cancellationToken)
    {
        RawAnswer answer;
        try
        {
            answer = await SendAsync(id, JsonRpc.ToolCall(id, tool, arguments), cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return CallOutcome.Lost("no answer before the call timeout");
        }
        return answer.Message is { } message ? JsonRpc.Check(message, id, expected) : answer.Failure!.Value;
    }

    public abstract ValueTask DisposeAsync();
}

/// <summary>The answer message, or why there is none (an HTTP status, a dropped stream).</summary>
public readonly record struct RawAnswer(byte[]? Message, CallOutcome? Failure)
{
    public static RawAnswer Of(byte[] message) => new(message, null);

    public static RawAnswer None(CallOutcome failure) => new(null, failure);
}
