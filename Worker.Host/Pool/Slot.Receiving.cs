using System.Text;
using McpPlatform.Protocol.JsonRpc;

namespace McpPlatform.Worker.Host.Pool;

/// <summary>What the server writes: responses back to their calls, progress to their sinks, notifications fanned out, server requests answered or relayed.</summary>
internal sealed partial class Slot
{
    /// <summary>
    /// The process's stdout ended (it died, was killed, or broke the protocol): from now on no call is handed to it, so
    /// a call arriving before the supervisor has reaped it waits for the next process instead of being written to a
    /// dead one. The calls it had are answered (or parked) by the supervisor once it is reaped (<see cref="FailAll"/>).
    /// </summary>
    public void OnOutputEnded()
    {
        lock (_gate)
        {
            if (State != SlotState.Ready)
            {
                return;
            }

            State = SlotState.Backoff;
            if (_ready.Task.IsCompleted)
            {
                _ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }

        _pool.OnSlotChanged();
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
            : JsonRpcErrors.Error(line[envelope.Id], JsonRpcErrorCodes.MethodNotFound,
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
