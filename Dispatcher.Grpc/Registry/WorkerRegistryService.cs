using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using McpPlatform.Contracts.Worker.V1;
using McpPlatform.Dispatcher.Grpc.Leases;
using McpPlatform.Dispatcher.Grpc.Options;
using McpPlatform.Dispatcher.Grpc.Telemetry;
using Microsoft.Extensions.Options;

namespace McpPlatform.Dispatcher.Grpc.Registry;

/// <summary>
/// mcpplatform.worker.v1.WorkerRegistry: Worker.Hosts announce themselves, heartbeat their slots and leave. The
/// directory (Redis or in-process) is the truth; this replica's <see cref="WorkerPool"/> is updated at once.
/// </summary>
internal sealed class WorkerRegistryService(
    IWorkerDirectory directory,
    WorkerPool pool,
    LeaseManager leases,
    IOptions<DispatcherOptions> options,
    ILogger<WorkerRegistryService> logger) : WorkerRegistry.WorkerRegistryBase
{
    public override async Task<RegisterResponse> Register(RegisterRequest request, ServerCallContext context)
    {
        var problems = Problems(request).ToList();
        if (problems.Count > 0)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "Invalid registration: " + string.Join(" ", problems)));
        }

        await directory.RegisterAsync(request, options.Value.WorkerTimeout, context.CancellationToken).ConfigureAwait(false);
        pool.Upsert(new WorkerRecord(request, null));
        Log.WorkerRegistered(logger, request.WorkerId, request.Address, request.Catalog.Count, request.Capacity);
        return new RegisterResponse
        {
            Accepted = true,
            HeartbeatInterval = Duration.FromTimeSpan(options.Value.HeartbeatInterval),
            LeaseTtl = Duration.FromTimeSpan(options.Value.LeaseTtl),
        };
    }

    public override async Task<HeartbeatResponse> Heartbeat(HeartbeatRequest request, ServerCallContext context)
    {
        if (string.IsNullOrEmpty(request.WorkerId))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "worker_id is required."));
        }

        var known = await directory.HeartbeatAsync(request, options.Value.WorkerTimeout, context.CancellationToken).ConfigureAwait(false);
        if (known && pool.Find(request.WorkerId) is { } worker)
        {
            pool.Upsert(worker with { LastHeartbeat = request });
        }

        return new HeartbeatResponse { Known = known };
    }

    public override async Task<DeregisterResponse> Deregister(DeregisterRequest request, ServerCallContext context)
    {
        if (string.IsNullOrEmpty(request.WorkerId))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "worker_id is required."));
        }

        await directory.DeregisterAsync(request.WorkerId, context.CancellationToken).ConfigureAwait(false);
        if (pool.Remove(request.WorkerId) is { } worker)
        {
            await leases.DropWorkerAsync(worker, context.CancellationToken).ConfigureAwait(false);
        }

        Log.WorkerDeregistered(logger, request.WorkerId);
        return new DeregisterResponse();
    }

    private static IEnumerable<string> Problems(RegisterRequest request)
    {
        if (string.IsNullOrWhiteSpace(request.WorkerId))
        {
            yield return "worker_id is required.";
        }

        if (!Uri.TryCreate(request.Address, UriKind.Absolute, out var address) || address.Scheme is not ("http" or "https"))
        {
            yield return "address must be an absolute http:// or https:// URL.";
        }

        if (request.Catalog.Count == 0)
        {
            yield return "catalog must name at least one server.";
        }

        foreach (var entry in request.Catalog)
        {
            if (string.IsNullOrWhiteSpace(entry.Name) || entry.Name.Contains(':', StringComparison.Ordinal) || entry.Name.Contains('/', StringComparison.Ordinal))
            {
                yield return $"catalog entry '{entry.Name}' needs a name without ':' or '/'.";
            }

            if (entry.MaxSlots < 1)
            {
                yield return $"catalog entry '{entry.Name}' needs max_slots of at least 1.";
            }
        }

        if (request.Catalog.GroupBy(entry => entry.Name, StringComparer.Ordinal).Any(group => group.Count() > 1))
        {
            yield return "catalog names must be unique.";
        }
    }
}
