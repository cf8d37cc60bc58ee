using System.Buffers;
using System.Text;
using System.Text.Json;
using McpPlatform.Worker.Host.Catalog;
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

    /// <summary>The caller's token was cancelled: tell the server and fail the call.</summary>
    public void CancelCall(PendingCall call, CancellationToken token)
    {
        lock (_gate)
        {
            if (!_pending.Remove(call.UpstreamId, out var found) || !ReferenceEquals(found, call))
            {
                return;
            }

            WriteCancelled(call.UpstreamId);
        }

        call.SetException(new OperationCanceledException(token));
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

    public void OnMessage(ReadOnlySpan<byte> line)
    {
        var envelope = JsonRpcEnvelope.Parse(line);
        switch (envelope.Kind)
        {
            case JsonRpcKind.Response:
                OnResponse(line, envelope);
                break;
            case JsonRpcKind.Request:
                OnServerRequest(line, envelope);
                break;
            case JsonRpcKind.Notification:
                OnServerNotification(line, envelope);
                break;
            default:
                lock (_gate)
                {
                    _killKind = RpcFailure.ProtocolViolation;
                    _process?.Kill($"it wrote something that is not a JSON-RPC message to stdout: '{Preview(line)}'");
                }

                break;
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
        if (!process.TryWrite(outgoing.Json.Span))
        {
            // stdin is closed: the process is ending and FailAll will answer this call with the reason.
            _process?.Kill("its stdin closed");
        }

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

    private void FailAll(RpcFailure failure, string reason)
    {
        PendingCall[] calls;
        lock (_gate)
        {
            calls = [.. _pending.Values];
            _pending.Clear();
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

    private void OnResponse(ReadOnlySpan<byte> line, JsonRpcEnvelope envelope)
    {
        PendingCall? call;
        lock (_gate)
        {
            if (!JsonRpcSplicer.TryParseId(line[envelope.Id], out var id) || !_pending.Remove(id, out call))
            {
                return; // a late answer to a call that was cancelled or already failed
            }

            if (!call.IsInternal)
            {
                _callsServed++;
                _lastActivity = _pool.TimeProvider.GetTimestamp();
            }
        }

        var answer = JsonRpcSplicer.Splice(line, envelope.Id, call.ClientId);
        if (!call.IsInternal)
        {
            _pool.Metrics.CallCompleted(Definition.Name, _pool.TimeProvider.GetElapsedTime(call.StartTimestamp), RpcFailure.None);
        }

        call.SetResult(answer);
    }

    private void OnServerRequest(ReadOnlySpan<byte> line, JsonRpcEnvelope envelope)
    {
        if (IsSession)
        {
            SessionLease?.Deliver(line);
            return;
        }

        using var answer = envelope.MethodIs(line, "\"ping\""u8)
            ? JsonRpcErrors.Result(line[envelope.Id], "{}"u8)
            : JsonRpcErrors.Error(line[envelope.Id], JsonRpcErrors.MethodNotFound,
                JsonRpcErrors.ServerToClientUnavailable(Definition.Name, Definition.Isolation.ToString()), "server_to_client_unavailable", Definition.Name);
        WriteRaw(answer.Json.Span);
    }

    private void OnServerNotification(ReadOnlySpan<byte> line, JsonRpcEnvelope envelope)
    {
        if (envelope.MethodIs(line, "\"notifications/progress\""u8) && RouteProgress(line, envelope))
        {
            return;
        }

        if (IsSession)
        {
            SessionLease?.Deliver(line);
        }
        else if (envelope.MethodEndsWith(line, "list_changed\""u8) || envelope.MethodIs(line, "\"notifications/resources/updated\""u8))
        {
            _pool.FanOut(Tenant, line);
        }
        else if (!envelope.MethodIs(line, "\"notifications/cancelled\""u8))
        {
            // A log line or similar: attributable only when exactly one call is running on this process.
            lock (_gate)
            {
                if (_pending.Count == 1 && _pending.Values.First() is { Sink: { } sink })
                {
                    sink.OnMessage(line);
                }
            }
        }
    }

    private bool RouteProgress(ReadOnlySpan<byte> line, JsonRpcEnvelope envelope)
    {
        if (!JsonRpcEnvelope.IsPresent(envelope.ParamsProgressToken) || !JsonRpcSplicer.TryParseToken(line[envelope.ParamsProgressToken], out var id))
        {
            return false;
        }

        lock (_gate)
        {
            if (_pending.TryGetValue(id, out var call) && call.HasToken)
            {
                using var restored = JsonRpcSplicer.Splice(line, envelope.ParamsProgressToken, call.ClientToken);
                if (call.Sink is { } sink)
                {
                    sink.OnMessage(restored.Json.Span);
                }
                else
                {
                    SessionLease?.Deliver(restored.Json.Span);
                }
            }
        }

        return true;
    }

    private void CancelByClient(SlotLease lease, ReadOnlySpan<byte> notification, JsonRpcEnvelope envelope)
    {
        if (!JsonRpcEnvelope.IsPresent(envelope.ParamsRequestId))
        {
            return;
        }

        PendingCall? call;
        lock (_gate)
        {
            call = TakeCall(lease, notification[envelope.ParamsRequestId]);
            if (call is null)
            {
                return;
            }

            // The client's own notification, its reason kept, with the request id mapped upstream.
            Span<byte> idBytes = stackalloc byte[MaxIdBytes];
            using var mapped = JsonRpcSplicer.Splice(notification, envelope.ParamsRequestId, idBytes[..JsonRpcSplicer.FormatId(call.UpstreamId, idBytes)]);
            _process?.TryWrite(mapped.Json.Span);
        }

        call.SetResult(JsonRpcErrors.Failure(call.ClientId, RpcFailure.Cancelled, "The request was cancelled by the client.", Definition.Name));
    }

    /// <summary>Cancels the lease's request with this client id (raw JSON); false when it is no longer in flight.</summary>
    public bool TryCancel(SlotLease lease, ReadOnlySpan<byte> clientRequestId, string reason)
    {
        PendingCall? call;
        lock (_gate)
        {
            call = TakeCall(lease, clientRequestId);
            if (call is null)
            {
                return false;
            }

            var output = new ArrayBufferWriter<byte>(128);
            using (var writer = new Utf8JsonWriter(output))
            {
                writer.WriteStartObject();
                writer.WriteString("jsonrpc"u8, "2.0"u8);
                writer.WriteString("method"u8, "notifications/cancelled"u8);
                writer.WriteStartObject("params"u8);
                writer.WriteNumber("requestId"u8, call.UpstreamId);
                writer.WriteString("reason"u8, reason);
                writer.WriteEndObject();
                writer.WriteEndObject();
            }

            _process?.TryWrite(output.WrittenSpan);
        }

        call.SetResult(JsonRpcErrors.Failure(call.ClientId, RpcFailure.Cancelled, "The request was cancelled by the client.", Definition.Name));
        return true;
    }

    /// <summary>Removes and returns the lease's pending call with this client id. Call under the lock.</summary>
    private PendingCall? TakeCall(SlotLease lease, ReadOnlySpan<byte> clientRequestId)
    {
        foreach (var candidate in _pending.Values)
        {
            if (ReferenceEquals(candidate.Lease, lease) && candidate.ClientId.SequenceEqual(clientRequestId))
            {
                _pending.Remove(candidate.UpstreamId);
                return candidate;
            }
        }

        return null;
    }

    private void WriteCancelled(long upstreamId)
    {
        Span<byte> buffer = stackalloc byte[128];
        ReadOnlySpan<byte> head = "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\",\"params\":{\"requestId\":"u8;
        ReadOnlySpan<byte> tail = ",\"reason\":\"cancelled by the client\"}}"u8;
        head.CopyTo(buffer);
        var length = head.Length + JsonRpcSplicer.FormatId(upstreamId, buffer[head.Length..]);
        tail.CopyTo(buffer[length..]);
        _process?.TryWrite(buffer[..(length + tail.Length)]);
    }

    private static byte[] BuildInitialize(string protocolVersion)
    {
        var output = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(output))
        {
            writer.WriteStartObject();
            writer.WriteString("jsonrpc"u8, "2.0"u8);
            writer.WriteNumber("id"u8, 0);
            writer.WriteString("method"u8, "initialize"u8);
            writer.WriteStartObject("params"u8);
            writer.WriteString("protocolVersion"u8, protocolVersion);
            writer.WriteStartObject("capabilities"u8);
            writer.WriteEndObject();
            writer.WriteStartObject("clientInfo"u8);
            writer.WriteString("name"u8, "mcp-platform-worker"u8);
            writer.WriteString("version"u8, "1.0.0"u8);
            writer.WriteEndObject();
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return output.WrittenSpan.ToArray();
    }

    private static string Preview(ReadOnlySpan<byte> line)
    {
        var text = Encoding.UTF8.GetString(line[..Math.Min(line.Length, 80)]);
        return string.Create(text.Length, text, static (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                span[i] = char.IsControl(source[i]) ? '?' : source[i];
            }
        });
    }
}
