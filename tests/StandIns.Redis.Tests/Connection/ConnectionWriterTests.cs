using System.Collections.Concurrent;
using McpPlatform.Redis.Connection;

namespace McpPlatform.Redis.Tests.Connection;

public sealed class ConnectionWriterTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly RecordingStream _stream = new();
    private readonly ConcurrentQueue<PendingCommand> _inFlight = new();
    private readonly ConcurrentQueue<Exception> _failures = new();
    private readonly CommandBacklog _backlog = new();
    private readonly PendingCommandPool _pool = new();
    private readonly ConnectionWriter _writer;

    public ConnectionWriterTests()
    {
        _writer = new ConnectionWriter(_stream, _inFlight, _failures.Enqueue, CancellationToken.None);
        _backlog.AttachWriter(_writer);
    }

    [Fact]
    public void BatchEnd_WritesWhatItsCallersSentOnItsOwnThreadInOneWrite()
    {
        SendFromBatch("a", "b");

        Assert.Equal(Get("a") + Get("b"), _stream.Written);
        Assert.Equal([Environment.CurrentManagedThreadId], _stream.WritingThreads);
        Assert.Equal(["a", "b"], _inFlight.Select(command => command.Args[0].ToString()));
        Assert.True(_backlog.IsEmpty);
        Assert.Empty(_failures);
    }

    [Fact]
    public async Task InlineWriteTheSocketDoesNotTakeAtOnce_HoldsTheGateAndLaterCommandsFollowInOrder()
    {
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _stream.Hold = hold;
        SendFromBatch("a");
        var loop = _writer.RunAsync(_backlog);

        // Queued while the inline write is pending: a batch cannot take the gate, and the loop it wakes cannot either.
        SendFromBatch("b");
        _backlog.Enqueue(Rent("c"));
        Assert.False(_writer.TryWriteInline(_backlog));
        Assert.Equal(Get("a"), _stream.Written);

        // The pending write ends: whoever held the gate wakes the loop, which writes the rest, in order.
        _stream.Hold = null;
        hold.SetResult();
        await _stream.WaitForWritesAsync(2, CancellationToken.None).WaitAsync(Patience);
        Assert.Equal(Get("a") + Get("b") + Get("c"), _stream.Written);
        Assert.Equal(["a", "b", "c"], _inFlight.Select(command => command.Args[0].ToString()));

        _backlog.Close(new ObjectDisposedException("backlog"));
        await loop.WaitAsync(Patience);
        Assert.Empty(_failures);
    }

    [Fact]
    public async Task Close_WaitsForTheInlineWriteThenLeavesLaterCommandsInTheBacklog()
    {
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _stream.Hold = hold;
        SendFromBatch("a");

        // The engine counts the in-flight commands only after Close: a write still running must end first.
        var close = _writer.CloseAsync();
        await Task.Yield();
        Assert.False(close.IsCompleted);
        hold.SetResult();
        await close.WaitAsync(Patience);

        // A dead connection's writer takes nothing more: the commands wait for the next connection.
        SendFromBatch("b");
        Assert.False(_backlog.IsEmpty);
        Assert.Equal(Get("a"), _stream.Written);
        Assert.Single(_inFlight);
    }

    [Fact]
    public void InlineWriteFailing_ReportsTheFailureAndKeepsTheCommandInFlight()
    {
        _stream.Fault = new IOException("broken pipe");

        SendFromBatch("a");

        // In flight, so the engine's drain fails or retries it; the gate is free for the next connection's cleanup.
        Assert.Equal("broken pipe", Assert.Single(_failures).Message);
        Assert.Equal("a", Assert.Single(_inFlight).Args[0].ToString());
        Assert.True(_writer.CloseAsync().IsCompleted);
    }

    private static string Get(string key) => $"*2\r\n$3\r\nGET\r\n${key.Length}\r\n{key}\r\n";

    private PendingCommand Rent(string key) => _pool.Rent("GET", [key], idempotent: true, Environment.TickCount64 + 60_000);

    // What a reply batch does around its callers' continuations: their commands are held back until it ends.
    private void SendFromBatch(params string[] keys)
    {
        Assert.True(CommandBacklog.EnterBatch());
        foreach (var key in keys)
        {
            _backlog.Enqueue(Rent(key));
        }

        Assert.False(_backlog.IsEmpty);
        CommandBacklog.ExitBatch();
    }
}
