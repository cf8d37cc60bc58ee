using System.Buffers;
using System.Text.Json;
using McpPlatform.Protocol.JsonRpc;

namespace McpPlatform.Worker.Host.Pool;

/// <summary>Cancellation both ways: the caller's token, the client's notifications/cancelled, and <see cref="SlotLease.TryCancel"/>.</summary>
internal sealed partial class Slot
{
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
}
