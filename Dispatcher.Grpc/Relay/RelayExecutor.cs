using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using McpPlatform.Contracts.Dispatch.V1;
using McpPlatform.Contracts.Worker.V1;
using McpPlatform.Dispatcher.Grpc.Admission;
using McpPlatform.Dispatcher.Grpc.Caching;
using McpPlatform.Dispatcher.Grpc.Leases;
using McpPlatform.Dispatcher.Grpc.Options;
using McpPlatform.Dispatcher.Grpc.Registry;
using McpPlatform.Dispatcher.Grpc.Telemetry;
using McpPlatform.Protocol.JsonRpc;
using McpPlatform.StandIns.Grpc.Multiplexing;
using Microsoft.Extensions.Options;

namespace McpPlatform.Dispatcher.Grpc.Relay;

/// <summary>
/// One Relay call: 1. answer a cached list at once; 2. admit (lease a slot, maybe after queueing); 3. Execute on
/// the leased worker with the caller's deadline and cancellation; 4. stream related messages and the result back,
/// turning worker failures into a JSON-RPC error for that call only; 5. give the lease back. A worker that cannot
/// be connected to is skipped and another one tried (nothing reached it, so this is safe for every call).
/// </summary>
internal sealed class RelayExecutor(
    AdmissionController admission,
    LeaseManager leases,
    WorkerPool pool,
    WorkerChannels channels,
    ListCache cache,
    ListCacheInvalidation invalidation,
    DispatcherMetrics metrics,
    IOptions<DispatcherOptions> options,
    TimeProvider time,
    ILogger<RelayExecutor> logger)
{
    public async Task RelayAsync(RelayRequest request, JsonRpcEnvelope envelope, IServerStreamWriter<RelayEvent> responseStream, ServerCallContext context)
    {
        var route = request.Route;
        var method = request.Method.Length > 0 ? request.Method : envelope.GetMethod(request.Message.Span) ?? "";
        var cacheable = !request.IsNotification && ListCache.IsListMethod(method) && !envelope.HasCursor;
        var started = time.GetTimestamp();
        if (cacheable && cache.TryGet(route.Server, route.ProtocolVersion, method, out var cached, out var version))
        {
            await responseStream.WriteAsync(new RelayEvent
            {
                Result = new RelayResult { Message = UnsafeByteOperations.UnsafeWrap(JsonRpcMessages.Result(envelope.RawId(request.Message.Span), cached)), Cache = Hint(fromCache: true, version), QueueWait = new Duration() },
            }, context.CancellationToken).ConfigureAwait(false);
            metrics.CallDuration(route.Server, method, "cached", time.GetElapsedTime(started));
            return;
        }

        var tried = new List<string>();
        for (var attempt = 1; ; attempt++)
        {
            var admitted = await admission.AdmitAsync(route, options.Value.LeaseTtl, autoRenew: true, tried, context.Deadline, context.CancellationToken, perCall: true).ConfigureAwait(false);
            if (admitted.Lease is not { } lease)
            {
                await responseStream.WriteAsync(new RelayEvent { Busy = admitted.Busy }, context.CancellationToken).ConfigureAwait(false);
                metrics.CallDuration(route.Server, method, "busy", time.GetElapsedTime(started));
                return;
            }

            Outcome outcome;
            try
            {
                outcome = await ExecuteAsync(lease, request, envelope, method, cacheable, admitted.QueueWait, responseStream, context, lastAttempt: attempt >= options.Value.MaxWorkerAttempts).ConfigureAwait(false);
            }
            finally
            {
                await leases.ReleaseAsync(lease.LeaseId, CancellationToken.None).ConfigureAwait(false);
            }

            if (outcome != Outcome.Unreachable)
            {
                metrics.CallDuration(route.Server, method, outcome == Outcome.Completed ? "ok" : "failed", time.GetElapsedTime(started));
                return;
            }

            tried.Add(lease.WorkerId);
            pool.MarkUnreachable(lease.WorkerId, options.Value.HeartbeatInterval);
        }
    }

    private async Task<Outcome> ExecuteAsync(SlotLease lease, RelayRequest request, JsonRpcEnvelope envelope, string method, bool cacheable, TimeSpan queueWait, IServerStreamWriter<RelayEvent> responseStream, ServerCallContext context, bool lastAttempt)
    {
        var ct = context.CancellationToken;
        var deadline = context.Deadline == DateTime.MaxValue ? (DateTime?)null : context.Deadline;
        var received = false;
        try
        {
            using var call = channels.Execute(
                lease.WorkerAddress,
                new ExecuteRequest { LeaseId = lease.LeaseId, Route = request.Route, Message = request.Message, IsNotification = request.IsNotification },
                deadline,
                ct);
            await foreach (var item in call.ResponseStream.ReadAllAsync(ct).ConfigureAwait(false))
            {
                received = true;
                switch (item.EventCase)
                {
                    case ExecuteEvent.EventOneofCase.Related:
                        await SeeRelatedAsync(request.Route.Server, item.Related, ct).ConfigureAwait(false);
                        await responseStream.WriteAsync(new RelayEvent { Related = item.Related }, ct).ConfigureAwait(false);
                        break;
                    case ExecuteEvent.EventOneofCase.Result:
                        var result = new RelayResult { Message = item.Result, QueueWait = Duration.FromTimeSpan(queueWait), WorkerId = lease.WorkerId };
                        if (cacheable && JsonRpcMessages.ResultOf(item.Result.Memory) is { } raw)
                        {
                            result.Cache = Hint(fromCache: false, cache.Put(request.Route.Server, request.Route.ProtocolVersion, method, raw.ToArray()));
                        }

                        await responseStream.WriteAsync(new RelayEvent { Result = result }, ct).ConfigureAwait(false);
                        return Outcome.Completed;
                    case ExecuteEvent.EventOneofCase.Failure:
                        Log.SlotFailed(logger, lease.WorkerId, item.Failure.Reason);
                        await WriteErrorAsync(responseStream, envelope, request, lease, RelayErrors.Of(item.Failure.Reason), $"The worker's slot failed the call ({item.Failure.Reason}): {item.Failure.Message}", queueWait, ct).ConfigureAwait(false);
                        return Outcome.Failed;
                }
            }

            if (!request.IsNotification)
            {
                await WriteErrorAsync(responseStream, envelope, request, lease, RelayErrors.Lost, $"Worker '{lease.WorkerId}' ended the call without a response.", queueWait, ct).ConfigureAwait(false);
                return Outcome.Failed;
            }

            return Outcome.Completed;
        }
        catch (RpcException ex) when (!ct.IsCancellationRequested)
        {
            if (!received && !lastAttempt && IsConnectFailure(ex))
            {
                Log.WorkerUnreachable(logger, lease.WorkerId, ex.StatusCode);
                return Outcome.Unreachable;
            }

            Log.WorkerCallFailed(logger, lease.WorkerId, lease.SlotId, ex.Status.Detail);
            if (!request.IsNotification)
            {
                var unreachable = !received && IsConnectFailure(ex);
                var why = unreachable
                    ? $"Worker '{lease.WorkerId}' could not be reached; the call did not run."
                    : $"Worker '{lease.WorkerId}' was lost while running the call (gRPC status {ex.StatusCode}); the call may or may not have run.";
                await WriteErrorAsync(responseStream, envelope, request, lease, unreachable ? RelayErrors.Unreachable : RelayErrors.Lost, why, queueWait, ct).ConfigureAwait(false);
            }

            return Outcome.Failed;
        }
    }

    // Nothing reached the worker: the connection could not be opened (the gRPC client's "Error connecting..."), or
    // the worker's ExecuteMux stream refused or never read the call (it is draining).
    private static bool IsConnectFailure(RpcException ex) => MuxStatus.IsNotStarted(ex.Status);

    private async Task SeeRelatedAsync(string server, ByteString related, CancellationToken cancellationToken)
    {
        if (ListCache.InvalidatedBy(JsonRpcEnvelope.Parse(related.Span).GetMethod(related.Span)) is { } list)
        {
            await invalidation.PublishAsync(server, list, cancellationToken).ConfigureAwait(false);
        }
    }

    private static Task WriteErrorAsync(IServerStreamWriter<RelayEvent> responseStream, JsonRpcEnvelope envelope, RelayRequest request, SlotLease lease, (int Code, string Reason) error, string message, TimeSpan queueWait, CancellationToken cancellationToken) =>
        request.IsNotification
            ? Task.CompletedTask
            : responseStream.WriteAsync(new RelayEvent
            {
                Result = new RelayResult { Message = UnsafeByteOperations.UnsafeWrap(JsonRpcMessages.Error(envelope.RawId(request.Message.Span), error.Code, message, error.Reason, request.Route.Server)), QueueWait = Duration.FromTimeSpan(queueWait), WorkerId = lease.WorkerId },
            }, cancellationToken);

    private ListCacheHint Hint(bool fromCache, string version) => new() { FromCache = fromCache, Ttl = Duration.FromTimeSpan(cache.Ttl), Version = version };

    private enum Outcome
    {
        Completed,
        Failed,
        Unreachable,
    }
}
