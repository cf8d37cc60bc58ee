using Grpc.Core;
using McpPlatform.Contracts.Worker.V1;
using McpPlatform.StandIns.Grpc.Multiplexing;
using McpPlatform.Worker.Host.Catalog;
using McpPlatform.Worker.Host.Pool;
using Route = McpPlatform.Contracts.Common.V1.Route;
using WorkerContract = McpPlatform.Contracts.Worker.V1.Worker;

namespace McpPlatform.Worker.Host.Grpc;

/// <summary>
/// <c>mcpplatform.worker.v1.Worker</c> over the slot pool: what the dispatcher calls with a lease. The handlers stay
/// thin; <see cref="WorkerAnswers"/> maps the pool's answers and <see cref="WorkerSessionRelay"/> runs sessions.
/// </summary>
internal sealed class WorkerGrpcService(IWorkerPool pool, ActiveLeases active, WorkerSessionRelay sessions, IHostApplicationLifetime lifetime, ILogger<WorkerGrpcService> logger) : WorkerContract.WorkerBase
{
    /// <summary>
    /// Execute calls multiplexed on one stream: each start runs <see cref="Execute"/> itself, with the call's own
    /// deadline, cancellation and span. On SIGTERM calls in flight finish, new starts end UNAVAILABLE as not started
    /// (the dispatcher retries them on another worker), and the stream ends once nothing is in flight so the host
    /// can stop.
    /// </summary>
    public override Task ExecuteMux(IAsyncStreamReader<ExecuteMuxRequest> requestStream, IServerStreamWriter<ExecuteMuxEvent> responseStream, ServerCallContext context) =>
        MultiplexedServer.RunAsync<ExecuteMuxRequest, ExecuteMuxEvent, ExecuteRequest, ExecuteEvent>(
            requestStream, responseStream, context, "mcpplatform.worker.v1.Worker/Execute", Execute, logger, lifetime.ApplicationStopping);

    public override async Task Execute(ExecuteRequest request, IServerStreamWriter<ExecuteEvent> responseStream, ServerCallContext context)
    {
        var route = Validate(request.Route);
        if (request.Message.IsEmpty)
        {
            throw WorkerAnswers.Invalid("message is required: one JSON-RPC message as UTF-8 JSON.");
        }

        // The call's token carries both the caller's cancellation (RST_STREAM) and its grpc-timeout deadline.
        var ct = context.CancellationToken;
        SlotLease lease;
        try
        {
            lease = await pool.AcquireAsync(route.Server, route.TenantId, NullIfEmpty(route.SessionId), ct);
        }
        catch (WorkerPoolException ex) when (WorkerAnswers.IsLeaseInvalid(ex))
        {
            await responseStream.WriteAsync(new ExecuteEvent { Failure = new SlotFailure { Reason = SlotFailure.Types.Reason.LeaseInvalid, Message = ex.Message } }, ct);
            return;
        }
        catch (WorkerPoolException ex)
        {
            throw WorkerAnswers.Status(ex);
        }

        try
        {
            using var tracked = active.Track(request.LeaseId, lease);
            if (request.IsNotification)
            {
                await lease.SendNotificationAsync(request.Message.Memory, ct);
                return;
            }

            await ExecuteCoreAsync(lease, request, responseStream, ct);
        }
        finally
        {
            // A session's lease lives as long as the session, not the call.
            if (lease.Isolation != IsolationMode.Session)
            {
                await lease.DisposeAsync();
            }
        }
    }

    public override Task<CancelResponse> Cancel(CancelRequest request, ServerCallContext context)
    {
        var cancelled = active.TryGet(request.LeaseId, out var lease)
            && !request.RequestId.IsEmpty
            && lease.TryCancel(request.RequestId.Span, request.Reason.Length == 0 ? "cancelled by the caller" : request.Reason);
        return Task.FromResult(new CancelResponse { Cancelled = cancelled });
    }

    public override Task Session(IAsyncStreamReader<WorkerSessionClientFrame> requestStream, IServerStreamWriter<WorkerSessionServerFrame> responseStream, ServerCallContext context) =>
        sessions.RunAsync(requestStream, responseStream, context.CancellationToken);

    public override async Task<DrainResponse> Drain(DrainRequest request, ServerCallContext context)
    {
        var grace = request.GracePeriod?.ToTimeSpan() ?? TimeSpan.Zero;
        if (grace < TimeSpan.Zero)
        {
            throw WorkerAnswers.Invalid("grace_period must not be negative.");
        }

        return new DrainResponse { InFlight = await pool.DrainAsync(grace, context.CancellationToken) };
    }

    internal static Route Validate(Route? route)
    {
        if (route is null || route.Server.Length == 0)
        {
            throw WorkerAnswers.Invalid("route.server is required: name the catalog server, e.g. \"echo\".");
        }

        if (route.TenantId.Length == 0)
        {
            throw WorkerAnswers.Invalid("route.tenant_id is required: every process is started for a tenant.");
        }

        return route;
    }

    internal static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;

    private static async Task ExecuteCoreAsync(SlotLease lease, ExecuteRequest request, IServerStreamWriter<ExecuteEvent> responseStream, CancellationToken ct)
    {
        var related = new RelatedMessageChannel();
        var send = SendAsync(lease, request, related, ct);
        try
        {
            await foreach (var message in related.Reader.ReadAllAsync(ct))
            {
                await responseStream.WriteAsync(new ExecuteEvent { Related = Google.Protobuf.ByteString.CopyFrom(message) }, ct);
            }
        }
        catch (Exception) when (!send.IsCompleted)
        {
            // The stream failed (the caller went away, which cancels ct and so the call): observe the call, then rethrow.
            await send.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            throw;
        }

        using var response = await send;
        await responseStream.WriteAsync(WorkerAnswers.Result(response), ct);
    }

    private static async Task<RpcMessage> SendAsync(SlotLease lease, ExecuteRequest request, RelatedMessageChannel related, CancellationToken ct)
    {
        try
        {
            return await lease.SendAsync(request.Message.Memory, related, ct);
        }
        finally
        {
            related.Complete();
        }
    }
}
