using McpPlatform.Protocol.JsonRpc;
using McpPlatform.Worker.Host.Processes;

namespace McpPlatform.Worker.Host.Pool;

/// <summary>
/// The slot's message paths. Every request gets an upstream-unique numeric id (the client's raw id is
/// restored on the way back, so strings stay strings and numbers numbers); <c>_meta.progressToken</c>
/// becomes <c>"w{upstream id}"</c> and progress is routed back to the call with the client's token.
/// </summary>
internal sealed partial class Slot
{
    private const int MaxIdBytes = 24;

    public ValueTask<RpcMessage> SendAsync(SlotLease lease, ReadOnlyMemory<byte> request, IRelatedMessageSink? sink, CancellationToken cancellationToken)
    {
        var envelope = JsonRpcEnvelope.Parse(request.Span);
        if (envelope.Kind != JsonRpcKind.Request)
        {
            throw new ArgumentException("SendAsync takes one JSON-RPC request: an object with an id and a method.", nameof(request));
        }

        if (!IsSession && envelope.MethodIs(request.Span, "\"initialize\""u8))
        {
            return InitializeFromHandshakeAsync(request, envelope, cancellationToken);
        }

        PendingCall? call;
        lock (_gate)
        {
            call = State == SlotState.Ready && _process is { } process ? Register(process, lease, sink, request.Span, envelope) : null;
        }

        if (call is null)
        {
            return SendWhenReadyAsync(lease, request, sink, cancellationToken);
        }

        call.RegisterCancellation(cancellationToken);
        return new ValueTask<RpcMessage>(call, call.Version);
    }

    public void SendNotification(SlotLease lease, ReadOnlySpan<byte> notification)
    {
        var envelope = JsonRpcEnvelope.Parse(notification);
        if (envelope.Kind != JsonRpcKind.Notification)
        {
            throw new ArgumentException("SendNotificationAsync takes one JSON-RPC notification: an object with a method and no id.", nameof(notification));
        }

        if (envelope.MethodIs(notification, "\"notifications/cancelled\""u8))
        {
            CancelByClient(lease, notification, envelope);
        }
        else if (IsSession)
        {
            WriteRaw(notification);
        }
        else
        {
            // initialized: the host did its own handshake; roots and the rest: a shared process has no single client.
            PoolLog.Dropped(_pool.Logger, Definition.Name, "a client notification", $"{Definition.Isolation} isolation relays only cancellations");
        }
    }

    public void WriteRaw(ReadOnlySpan<byte> message)
    {
        lock (_gate)
        {
            _process?.TryWrite(message);
        }
    }

    public void ReturnCall(PendingCall call)
    {
        lock (_gate)
        {
            if (_spareCalls.Count < 64)
            {
                _spareCalls.Push(call);
            }
        }
    }

    private ValueTask<RpcMessage> SendInternal(StdioProcess process, ReadOnlySpan<byte> request, long deadline)
    {
        var envelope = JsonRpcEnvelope.Parse(request);
        PendingCall call;
        lock (_gate)
        {
            call = Register(process, null, null, request, envelope, deadline);
        }

        return new ValueTask<RpcMessage>(call, call.Version);
    }

    private PendingCall Register(StdioProcess process, SlotLease? lease, IRelatedMessageSink? sink, ReadOnlySpan<byte> request, JsonRpcEnvelope envelope, long deadline = 0)
    {
        var id = ++_nextId;
        var call = _spareCalls.Count > 0 ? _spareCalls.Pop() : new PendingCall(this);
        var now = _pool.TimeProvider.GetTimestamp();
        if (deadline == 0)
        {
            deadline = now + (long)(Definition.CallTimeout.TotalSeconds * _pool.TimeProvider.TimestampFrequency);
        }

        var hasToken = JsonRpcEnvelope.IsPresent(envelope.MetaProgressToken);
        call.Prepare(id, lease, sink, request[envelope.Id], hasToken ? request[envelope.MetaProgressToken] : default, now, deadline);
        Span<byte> idBytes = stackalloc byte[MaxIdBytes];
        Span<byte> tokenBytes = stackalloc byte[MaxIdBytes + 3];
        var idLength = JsonRpcSplicer.FormatId(id, idBytes);
        using var outgoing = hasToken
            ? JsonRpcSplicer.Splice(request, envelope.Id, idBytes[..idLength], envelope.MetaProgressToken, tokenBytes[..JsonRpcSplicer.FormatToken(id, tokenBytes)])
            : JsonRpcSplicer.Splice(request, envelope.Id, idBytes[..idLength]);
        _pending.Add(id, call);
        if (lease is not null && !IsSession)
        {
            // Kept for a resend to the slot's next process (FailAll parks it); a session's calls are never resent.
            call.KeepOutgoing(outgoing.Json.Span);
        }

        if (!process.TryWrite(outgoing.Json.Span, out var sequence))
        {
            // stdin is closed: the process is ending and FailAll will answer this call with the reason.
            _process?.Kill("its stdin closed");
        }

        call.WriteSequence = sequence;
        return call;
    }

    private async ValueTask<RpcMessage> SendWhenReadyAsync(SlotLease lease, ReadOnlyMemory<byte> request, IRelatedMessageSink? sink, CancellationToken cancellationToken)
    {
        while (true)
        {
            var failure = await WaitReadyAsync(request, cancellationToken).ConfigureAwait(false);
            if (failure is { } answer)
            {
                return answer;
            }

            PendingCall? call;
            lock (_gate)
            {
                call = State == SlotState.Ready && _process is { } process
                    ? Register(process, lease, sink, request.Span, JsonRpcEnvelope.Parse(request.Span))
                    : null;
            }

            if (call is not null)
            {
                call.RegisterCancellation(cancellationToken);
                return await new ValueTask<RpcMessage>(call, call.Version).ConfigureAwait(false);
            }
        }
    }

    private async ValueTask<RpcMessage> InitializeFromHandshakeAsync(ReadOnlyMemory<byte> request, JsonRpcEnvelope envelope, CancellationToken cancellationToken)
    {
        // One initialize per process: the client gets the answer the process gave the host's own handshake.
        var failure = await WaitReadyAsync(request, cancellationToken).ConfigureAwait(false);
        return failure ?? JsonRpcErrors.Result(request.Span[envelope.Id], _initializeResult);
    }

    /// <summary>Waits until the slot is Ready; returns a failure answer when it cannot become ready.</summary>
    private async ValueTask<RpcMessage?> WaitReadyAsync(ReadOnlyMemory<byte> request, CancellationToken cancellationToken)
    {
        Task ready;
        lock (_gate)
        {
            if (State == SlotState.Ready)
            {
                return null;
            }

            if (State == SlotState.Stopped || _stopping.IsCancellationRequested)
            {
                return FailureFor(request, RpcFailure.Stopped, $"Server '{Definition.Name}' slot has stopped ({_stopReason ?? "stopping"}); acquire a new lease.");
            }

            if (State == SlotState.Backoff && _lastStartError is { } error)
            {
                return FailureFor(request, RpcFailure.StartFailed, $"Server '{Definition.Name}' could not start: {error}");
            }

            ready = _ready.Task;
        }

        try
        {
            await ready.WaitAsync(Definition.InitializeTimeout + Definition.CallTimeout, _pool.TimeProvider, cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (SlotStartException e)
        {
            return State == SlotState.Stopped
                ? FailureFor(request, RpcFailure.Stopped, $"Server '{Definition.Name}' slot has stopped ({_stopReason ?? "stopping"}); acquire a new lease.")
                : FailureFor(request, RpcFailure.StartFailed, $"Server '{Definition.Name}' could not start: {e.Message}");
        }
        catch (TimeoutException)
        {
            return FailureFor(request, RpcFailure.StartFailed, $"Server '{Definition.Name}' did not become ready in time.");
        }
    }

    private RpcMessage FailureFor(ReadOnlyMemory<byte> request, RpcFailure failure, string message)
    {
        var envelope = JsonRpcEnvelope.Parse(request.Span);
        return JsonRpcErrors.Failure(request.Span[envelope.Id], failure, message, Definition.Name);
    }

    /// <summary>
    /// Answers the pending calls of a process that ended, with the reason. When <paramref name="ended"/> (reaped) is given
    /// and the slot will start another process (not stopping, not a session, not a failed start), a call whose request
    /// the process provably never read whole (<see cref="StdioProcess.WasReceived"/>) is parked instead: it stays
    /// pending and is sent to the next process (<see cref="SendParked"/>), once. A request the process may have read
    /// is never sent again: the tool may have run.
    /// </summary>
    private void FailAll(RpcFailure failure, string reason, StdioProcess? ended = null)
    {
        List<PendingCall> calls = [];
        lock (_gate)
        {
            var park = ended is not null && failure != RpcFailure.StartFailed && !IsSession && !_stopping.IsCancellationRequested;
            foreach (var call in _pending.Values)
            {
                if (park && (call.Parked || (!call.IsInternal && !call.TimedOut && !call.Resent && !ended!.WasReceived(call.WriteSequence))))
                {
                    call.Parked = true;
                    continue;
                }

                calls.Add(call);
            }

            foreach (var call in calls)
            {
                _pending.Remove(call.UpstreamId);
            }
        }

        foreach (var call in calls)
        {
            var (kind, message) = call.TimedOut
                ? (RpcFailure.Timeout, $"The call exceeded the {Definition.CallTimeout.TotalSeconds:0.###} s call timeout of server '{Definition.Name}'; its process was killed and is being restarted.")
                : (failure, $"Server '{Definition.Name}' could not finish the call: {reason}.");
            var answer = JsonRpcErrors.Failure(call.ClientId, kind, message, Definition.Name);
            if (!call.IsInternal)
            {
                _pool.Metrics.CallCompleted(Definition.Name, _pool.TimeProvider.GetElapsedTime(call.StartTimestamp), kind);
            }

            call.SetResult(answer);
        }
    }

    /// <summary>Sends the parked calls to the slot's new process (under the lock, before any new call); returns how many.</summary>
    private int SendParked(StdioProcess process)
    {
        var sent = 0;
        foreach (var call in _pending.Values)
        {
            if (!call.Parked)
            {
                continue;
            }

            call.Parked = false;
            call.Resent = true;
            process.TryWrite(call.Outgoing, out var sequence);
            call.WriteSequence = sequence;
            sent++;
        }

        return sent;
    }
}
