using System.Threading.Channels;
using Google.Protobuf;
using Grpc.Core;
using McpPlatform.Contracts.Worker.V1;
using McpPlatform.Protocol.JsonRpc;
using McpPlatform.Worker.Host.Pool;

namespace McpPlatform.Worker.Host.Grpc;

/// <summary>
/// <c>Worker.Session</c>: binds the stream to a session-isolation lease (first frame <c>open</c>, answered
/// <c>opened</c>), then relays messages both ways unchanged. The client's requests are sent concurrently and
/// their responses, with the server's own messages, go out through one writer (a gRPC stream takes one write
/// at a time). <c>close_reason</c> ends the session; the process ending sends a <c>failure</c> frame.
/// </summary>
internal sealed class WorkerSessionRelay(IWorkerPool pool)
{
    public async Task RunAsync(IAsyncStreamReader<WorkerSessionClientFrame> requests, IServerStreamWriter<WorkerSessionServerFrame> responses, CancellationToken ct)
    {
        // 1. Bind: the first frame must name the session's route.
        if (!await requests.MoveNext(ct) || requests.Current.FrameCase != WorkerSessionClientFrame.FrameOneofCase.Open)
        {
            throw WorkerAnswers.Invalid("The first frame of a session must be `open`.");
        }

        var open = requests.Current.Open;
        var route = WorkerGrpcService.Validate(open.Route);
        if (route.SessionId.Length == 0)
        {
            throw WorkerAnswers.Invalid("route.session_id is required to open a session.");
        }

        SlotLease lease;
        try
        {
            lease = await pool.AcquireAsync(route.Server, route.TenantId, route.SessionId, ct);
        }
        catch (WorkerPoolException ex) when (WorkerAnswers.IsLeaseInvalid(ex))
        {
            await responses.WriteAsync(new WorkerSessionServerFrame { Failure = new SlotFailure { Reason = SlotFailure.Types.Reason.LeaseInvalid, Message = ex.Message } }, ct);
            return;
        }
        catch (WorkerPoolException ex)
        {
            throw WorkerAnswers.Status(ex);
        }

        // 2. Relay until the client closes, the process goes, or the caller goes away.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var outbound = Channel.CreateUnbounded<WorkerSessionServerFrame>(new UnboundedChannelOptions { SingleReader = true });
        outbound.Writer.TryWrite(new WorkerSessionServerFrame { Opened = true });
        var writer = WriteAllAsync(outbound.Reader, responses, stop.Token);
        var fromServer = ReadServerAsync(lease, outbound.Writer, stop.Token);
        var fromClient = ReadClientAsync(lease, requests, outbound.Writer, stop.Token);

        // The writer ends first when the process went (its failure frame was the last one written).
        await Task.WhenAny(fromClient, writer);
        var closed = fromClient.IsCompletedSuccessfully && fromClient.Result;
        await stop.CancelAsync();
        outbound.Writer.TryComplete();
        await Task.WhenAll(writer, fromServer, fromClient).ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

        // Ended after the relay stopped, so a client's close is not answered with the process ending.
        if (closed)
        {
            await pool.EndSessionAsync(route.Server, route.TenantId, route.SessionId, CancellationToken.None);
        }

        // A bad frame from the client is answered with its status.
        if (fromClient.IsFaulted && fromClient.Exception.InnerException is RpcException invalid)
        {
            throw invalid;
        }
    }

    private static async Task<bool> ReadClientAsync(SlotLease lease, IAsyncStreamReader<WorkerSessionClientFrame> requests, ChannelWriter<WorkerSessionServerFrame> outbound, CancellationToken ct)
    {
        while (await requests.MoveNext(ct))
        {
            var frame = requests.Current;
            switch (frame.FrameCase)
            {
                case WorkerSessionClientFrame.FrameOneofCase.CloseReason:
                    return true;
                case WorkerSessionClientFrame.FrameOneofCase.Message:
                    await SendAsync(lease, frame.Message.Memory, outbound, ct);
                    break;
                default:
                    throw WorkerAnswers.Invalid("Only `message` and `close_reason` frames may follow `open`.");
            }
        }

        return false;
    }

    private static async ValueTask SendAsync(SlotLease lease, ReadOnlyMemory<byte> message, ChannelWriter<WorkerSessionServerFrame> outbound, CancellationToken ct)
    {
        switch (JsonRpcEnvelope.Parse(message.Span).Kind)
        {
            case JsonRpcKind.Request:
                // Not awaited: a long tool call must not hold up the client's next message (or its cancellation).
                _ = AnswerAsync(lease, message, outbound, ct);
                break;
            case JsonRpcKind.Notification:
                await lease.SendNotificationAsync(message, ct);
                break;
            case JsonRpcKind.Response:
                await lease.SendResponseAsync(message, ct);
                break;
            default:
                throw WorkerAnswers.Invalid("message is not one JSON-RPC message (request, notification or response).");
        }
    }

    private static async Task AnswerAsync(SlotLease lease, ReadOnlyMemory<byte> request, ChannelWriter<WorkerSessionServerFrame> outbound, CancellationToken ct)
    {
        try
        {
            using var response = await lease.SendAsync(request, new FrameSink(outbound), ct);
            outbound.TryWrite(new WorkerSessionServerFrame { Message = ByteString.CopyFrom(response.Json.Span) });
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The session is over; nobody is left to answer.
        }
    }

    private static async Task ReadServerAsync(SlotLease lease, ChannelWriter<WorkerSessionServerFrame> outbound, CancellationToken ct)
    {
        try
        {
            await foreach (var message in lease.ServerMessages.ReadAllAsync(ct))
            {
                using (message)
                {
                    outbound.TryWrite(new WorkerSessionServerFrame { Message = ByteString.CopyFrom(message.Json.Span) });
                }
            }

            // The server's messages end only when the session's process is gone.
            outbound.TryWrite(new WorkerSessionServerFrame
            {
                Failure = new SlotFailure { Reason = SlotFailure.Types.Reason.ProcessExited, Message = $"The session's '{lease.Server}' process ended; initialize a new session." },
            });
            outbound.TryComplete();
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    private static async Task WriteAllAsync(ChannelReader<WorkerSessionServerFrame> frames, IServerStreamWriter<WorkerSessionServerFrame> responses, CancellationToken ct)
    {
        await foreach (var frame in frames.ReadAllAsync(ct))
        {
            await responses.WriteAsync(frame, ct);
        }
    }

    private sealed class FrameSink(ChannelWriter<WorkerSessionServerFrame> outbound) : IRelatedMessageSink
    {
        public void OnMessage(ReadOnlySpan<byte> json) => outbound.TryWrite(new WorkerSessionServerFrame { Message = ByteString.CopyFrom(json) });
    }
}
