using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using McpPlatform.Contracts.Dispatch.V1;
using McpPlatform.Dispatcher.Grpc.Admission;
using McpPlatform.Dispatcher.Grpc.Leases;
using McpPlatform.Dispatcher.Grpc.Options;
using McpPlatform.Dispatcher.Grpc.Registry;
using McpPlatform.StandIns.Grpc.Multiplexing;
using Microsoft.Extensions.Options;

namespace McpPlatform.Dispatcher.Grpc.Relay;

/// <summary>
/// mcpplatform.dispatch.v1.Dispatch, what the gateway calls: Relay (admit, lease, execute on the worker, stream
/// back), Session (bidirectional, session-isolation servers) and the lease-only Admit/RenewLease/ReleaseLease.
/// </summary>
internal sealed class DispatchService(
    RelayExecutor relay,
    SessionRelay sessions,
    AdmissionController admission,
    LeaseManager leases,
    WorkerPool pool,
    IOptions<DispatcherOptions> options,
    IHostApplicationLifetime lifetime,
    ILogger<DispatchService> logger) : Dispatch.DispatchBase
{
    public override async Task Relay(RelayRequest request, IServerStreamWriter<RelayEvent> responseStream, ServerCallContext context)
    {
        RequestValidation.CheckRoute(request.Route, pool);
        var envelope = RequestValidation.CheckMessage(request.Message, request.IsNotification);
        await relay.RelayAsync(request, envelope, responseStream, context).ConfigureAwait(false);
    }

    /// <summary>
    /// Relay calls multiplexed on one stream: each start runs <see cref="Relay"/> itself, with the call's own deadline,
    /// cancellation and span. On shutdown new starts are refused as not started and calls in flight finish.
    /// </summary>
    public override Task RelayMux(IAsyncStreamReader<RelayMuxRequest> requestStream, IServerStreamWriter<RelayMuxEvent> responseStream, ServerCallContext context) =>
        MultiplexedServer.RunAsync<RelayMuxRequest, RelayMuxEvent, RelayRequest, RelayEvent>(
            requestStream, responseStream, context, "mcpplatform.dispatch.v1.Dispatch/Relay", Relay, logger, lifetime.ApplicationStopping);

    public override Task Session(IAsyncStreamReader<SessionClientFrame> requestStream, IServerStreamWriter<SessionServerFrame> responseStream, ServerCallContext context) =>
        sessions.RunAsync(requestStream, responseStream, context);

    public override async Task<AdmitResponse> Admit(AdmitRequest request, ServerCallContext context)
    {
        RequestValidation.CheckRoute(request.Route, pool);
        var hold = Hold(request.Hold);
        var admitted = await admission.AdmitAsync(request.Route, hold, autoRenew: false, excludeWorkers: null, context.Deadline, context.CancellationToken).ConfigureAwait(false);
        return admitted.Lease is { } lease
            ? new AdmitResponse { Lease = ToContract(lease) }
            : new AdmitResponse { Busy = admitted.Busy };
    }

    public override async Task<RenewLeaseResponse> RenewLease(RenewLeaseRequest request, ServerCallContext context)
    {
        CheckLeaseId(request.LeaseId);
        var expiresAt = await leases.RenewAsync(request.LeaseId, Hold(request.Hold), context.CancellationToken).ConfigureAwait(false);
        return expiresAt is { } at
            ? new RenewLeaseResponse { Renewed = true, ExpiresAt = Timestamp.FromDateTimeOffset(at) }
            : new RenewLeaseResponse { Renewed = false };
    }

    public override async Task<ReleaseLeaseResponse> ReleaseLease(ReleaseLeaseRequest request, ServerCallContext context)
    {
        CheckLeaseId(request.LeaseId);
        return new ReleaseLeaseResponse { Released = await leases.ReleaseAsync(request.LeaseId, context.CancellationToken).ConfigureAwait(false) };
    }

    internal static Lease ToContract(SlotLease lease) => new()
    {
        LeaseId = lease.LeaseId,
        WorkerId = lease.WorkerId,
        WorkerAddress = lease.WorkerAddress,
        SlotId = lease.SlotId,
        Isolation = lease.Isolation,
        ExpiresAt = Timestamp.FromDateTimeOffset(lease.ExpiresAt),
    };

    private TimeSpan Hold(Duration? hold)
    {
        var value = hold?.ToTimeSpan() ?? TimeSpan.Zero;
        if (value < TimeSpan.Zero)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "hold must not be negative (0 means the default lease time)."));
        }

        return value == TimeSpan.Zero ? options.Value.LeaseTtl : value;
    }

    private static void CheckLeaseId(string leaseId)
    {
        if (!LeaseIds.TryParse(leaseId, out _))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "lease_id is not a lease id this dispatcher issued."));
        }
    }
}
