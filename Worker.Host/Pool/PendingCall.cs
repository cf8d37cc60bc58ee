using System.Threading.Tasks.Sources;

namespace McpPlatform.Worker.Host.Pool;

/// <summary>
/// One request in flight on a slot: a reusable <see cref="IValueTaskSource{TResult}"/>, so a call costs
/// no Task, and the client's raw id and progress token kept for the way back.
/// </summary>
internal sealed class PendingCall : IValueTaskSource<RpcMessage>
{
    private readonly Slot _slot;
    private ManualResetValueTaskSourceCore<RpcMessage> _core = new() { RunContinuationsAsynchronously = true };
    private byte[] _id = new byte[32];
    private byte[] _token = new byte[32];
    private byte[] _outgoing = new byte[256];
    private CancellationTokenRegistration _registration;

    public PendingCall(Slot slot) => _slot = slot;

    public long UpstreamId { get; private set; }

    public SlotLease? Lease { get; private set; }

    public IRelatedMessageSink? Sink { get; private set; }

    public long StartTimestamp { get; private set; }

    public long DeadlineTimestamp { get; private set; }

    public bool TimedOut { get; set; }

    /// <summary>Its place in the process's write order (<see cref="Processes.StdioProcess.WasReceived"/>).</summary>
    public long WriteSequence { get; set; }

    /// <summary>
    /// Its process ended before the request reached it: the call waits, still pending, for the slot's next process,
    /// which is sent <see cref="Outgoing"/> as soon as it is ready.
    /// </summary>
    public bool Parked { get; set; }

    /// <summary>Sent once more after a process ended without receiving it; it is never parked twice.</summary>
    public bool Resent { get; set; }

    /// <summary>The request as written upstream (its id and progress token mapped), kept for a resend.</summary>
    public ReadOnlySpan<byte> Outgoing => _outgoing.AsSpan(0, OutgoingLength);

    /// <summary>Internal calls (the host's own initialize) are not metered and have no lease.</summary>
    public bool IsInternal => Lease is null;

    public short Version => _core.Version;

    public ReadOnlySpan<byte> ClientId => _id.AsSpan(0, IdLength);

    public ReadOnlySpan<byte> ClientToken => _token.AsSpan(0, TokenLength);

    public bool HasToken => TokenLength > 0;

    private int IdLength { get; set; }

    private int TokenLength { get; set; }

    private int OutgoingLength { get; set; }

    public void Prepare(long upstreamId, SlotLease? lease, IRelatedMessageSink? sink, ReadOnlySpan<byte> clientId, ReadOnlySpan<byte> clientToken, long now, long deadline)
    {
        UpstreamId = upstreamId;
        Lease = lease;
        Sink = sink;
        StartTimestamp = now;
        DeadlineTimestamp = deadline;
        TimedOut = false;
        WriteSequence = 0;
        Parked = false;
        Resent = false;
        OutgoingLength = 0;
        IdLength = Store(ref _id, clientId);
        TokenLength = Store(ref _token, clientToken);
    }

    public void KeepOutgoing(ReadOnlySpan<byte> json) => OutgoingLength = Store(ref _outgoing, json);

    public void RegisterCancellation(CancellationToken cancellationToken)
    {
        if (cancellationToken.CanBeCanceled)
        {
            _registration = cancellationToken.UnsafeRegister(static (state, token) => ((PendingCall)state!)._slot.CancelCall((PendingCall)state!, token), this);
        }
    }

    public void SetResult(RpcMessage message) => _core.SetResult(message);

    public void SetException(Exception exception) => _core.SetException(exception);

    public RpcMessage GetResult(short token)
    {
        try
        {
            return _core.GetResult(token);
        }
        finally
        {
            _registration.Dispose();
            _registration = default;
            Lease = null;
            Sink = null;
            _core.Reset();
            _slot.ReturnCall(this);
        }
    }

    public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);

    private static int Store(ref byte[] buffer, ReadOnlySpan<byte> value)
    {
        if (value.Length > buffer.Length)
        {
            buffer = new byte[value.Length];
        }

        value.CopyTo(buffer);
        return value.Length;
    }
}
