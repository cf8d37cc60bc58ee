using System.Threading.Channels;
using McpPlatform.Protocol.JsonRpc;
using McpPlatform.Worker.Host.Catalog;

namespace McpPlatform.Worker.Host.Pool;

/// <summary>
/// The right to use one slot. Shared/tenant isolation: one call-capacity permit on a process, released by
/// <see cref="DisposeAsync"/> (acquire per call). Session isolation: the whole slot for one MCP session's
/// life; disposing it (or <see cref="IWorkerPool.EndSessionAsync"/>, or the idle timeout) ends the session.
/// </summary>
public sealed class SlotLease : IAsyncDisposable
{
    private readonly ServerPool _pool;
    private readonly Channel<RpcMessage>? _serverMessages;
    private int _released;
    private string? _endReason;

    internal SlotLease(ServerPool pool, Slot slot, string tenant, string? sessionId)
    {
        _pool = pool;
        Slot = slot;
        Tenant = tenant;
        SessionId = sessionId;
        if (pool.Definition.Isolation == IsolationMode.Session)
        {
            _serverMessages = Channel.CreateUnbounded<RpcMessage>(new UnboundedChannelOptions { SingleReader = true });
        }

        Touch();
    }

    public string Server => _pool.Definition.Name;

    public string Tenant { get; }

    public string? SessionId { get; }

    public IsolationMode Isolation => _pool.Definition.Isolation;

    /// <summary>The id of the process currently behind the slot (0 while it is starting).</summary>
    public int ProcessId => Slot.ProcessId;

    /// <summary>
    /// Session isolation: requests and notifications the server sends on its own (sampling, elicitation,
    /// roots, logging, list_changed), unchanged. Dispose each message after use. Empty in other modes.
    /// </summary>
    public ChannelReader<RpcMessage> ServerMessages => _serverMessages?.Reader ?? EmptyReader.Instance;

    internal Slot Slot { get; }

    internal long LastActivity { get; private set; }

    internal bool IsReleased => Volatile.Read(ref _released) != 0;

    /// <summary>
    /// Sends one JSON-RPC request and returns the server's response with the caller's id restored, or a
    /// JSON-RPC error naming why the pool answered instead (<see cref="RpcMessage.Failure"/>). Progress for
    /// the request reaches <paramref name="related"/> with the caller's own progress token.
    /// </summary>
    public ValueTask<RpcMessage> SendAsync(ReadOnlyMemory<byte> request, IRelatedMessageSink? related, CancellationToken cancellationToken)
    {
        var ended = CheckUsable();
        if (ended is not null)
        {
            return ValueTask.FromResult(JsonRpcErrors.Failure(JsonRpcEnvelope.Parse(request.Span) is var e && JsonRpcEnvelope.IsPresent(e.Id) ? request.Span[e.Id] : default,
                RpcFailure.Stopped, ended, Server));
        }

        Touch();
        return Slot.SendAsync(this, request, related, cancellationToken);
    }

    /// <summary>
    /// Sends a client notification: <c>notifications/cancelled</c> has its request id mapped to the
    /// upstream one; in shared/tenant mode <c>notifications/initialized</c> and others the host owns are dropped.
    /// </summary>
    public ValueTask SendNotificationAsync(ReadOnlyMemory<byte> notification, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (CheckUsable() is null)
        {
            Touch();
            Slot.SendNotification(this, notification.Span);
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Cancels this lease's in-flight request whose id the client sent as <paramref name="clientRequestId"/>
    /// (raw JSON: <c>7</c> or <c>"abc"</c>): the server gets <c>notifications/cancelled</c> with the upstream id,
    /// the call is answered with -32800. False when no such request is in flight.
    /// </summary>
    public bool TryCancel(ReadOnlySpan<byte> clientRequestId, string reason) =>
        !IsReleased && Slot.TryCancel(this, clientRequestId, reason);

    /// <summary>Session isolation: the client's answer to a server-to-client request, written unchanged.</summary>
    public ValueTask SendResponseAsync(ReadOnlyMemory<byte> response, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (Isolation != IsolationMode.Session)
        {
            throw new InvalidOperationException($"Server '{Server}' runs in {Isolation} isolation: server-to-client requests are answered by the host.");
        }

        if (CheckUsable() is null)
        {
            Touch();
            Slot.WriteRaw(response.Span);
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => _pool.ReleaseAsync(this, "released by its holder");

    internal bool TryMarkReleased(string reason)
    {
        if (Interlocked.Exchange(ref _released, 1) != 0)
        {
            return false;
        }

        Interlocked.CompareExchange(ref _endReason, reason, null);
        _serverMessages?.Writer.TryComplete();
        return true;
    }

    internal void Deliver(ReadOnlySpan<byte> message)
    {
        if (_serverMessages is null || IsReleased)
        {
            return;
        }

        var copy = RpcMessage.Copy(message);
        if (!_serverMessages.Writer.TryWrite(copy))
        {
            copy.Dispose();
        }
    }

    internal void Touch() => LastActivity = _pool.TimeProvider.GetTimestamp();

    private string? CheckUsable() => IsReleased
        ? $"The lease on '{Server}' has ended ({Volatile.Read(ref _endReason)}); acquire a new one (session mode: re-initialize)."
        : null;

    private sealed class EmptyReader : ChannelReader<RpcMessage>
    {
        public static readonly EmptyReader Instance = new();

        public override Task Completion => Task.CompletedTask;

        public override bool TryRead(out RpcMessage item)
        {
            item = default;
            return false;
        }

        public override ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken = default) => ValueTask.FromResult(false);
    }
}
