using Google.Protobuf.WellKnownTypes;
using McpPlatform.Contracts.Common.V1;
using McpPlatform.Contracts.Worker.V1;
using McpPlatform.Worker.Host.Catalog;
using McpPlatform.Worker.Host.Pool;

namespace McpPlatform.Worker.Host.Registration;

/// <summary>
/// The registry messages built from the catalog and the pool. Slots are reported as the dispatcher numbers them,
/// <c>"{server}/{n}"</c> for n below <c>MaxSlots</c>: the pool's live slots first (their real states), the rest idle
/// (a process starts on demand). Command lines and environment never leave the worker.
/// </summary>
internal static class RegistrationMessages
{
    public static RegisterRequest Register(string workerId, string address, IReadOnlyDictionary<string, ServerDefinition> catalog)
    {
        var request = new RegisterRequest
        {
            WorkerId = workerId,
            Address = address,
            Capacity = catalog.Values.Sum(s => s.MaxSlots),
            Version = typeof(RegistrationMessages).Assembly.GetName().Version?.ToString() ?? "",
        };
        foreach (var server in catalog.Values.OrderBy(s => s.Name, StringComparer.Ordinal))
        {
            request.Catalog.Add(new CatalogEntry
            {
                Name = server.Name,
                ProtocolVersion = server.ProtocolVersion,
                Isolation = server.Isolation switch
                {
                    IsolationMode.Tenant => Isolation.Tenant,
                    IsolationMode.Session => Isolation.Session,
                    _ => Isolation.Shared,
                },
                MinSlots = server.MinSlots,
                MaxSlots = server.MaxSlots,
                MaxConcurrentCallsPerSlot = server.MaxConcurrentCallsPerSlot,
                CallTimeout = Duration.FromTimeSpan(server.CallTimeout),
                IdleTimeout = Duration.FromTimeSpan(server.IdleTimeout),
            });
        }

        return request;
    }

    public static HeartbeatRequest Heartbeat(string workerId, WorkerPool pool, bool draining)
    {
        var request = new HeartbeatRequest { WorkerId = workerId, Draining = draining };
        foreach (var server in pool.Catalog.Values)
        {
            var live = pool.Snapshot(server.Name);
            for (var n = 0; n < server.MaxSlots; n++)
            {
                var status = new SlotStatus { SlotId = $"{server.Name}/{n}", Server = server.Name, State = SlotStatus.Types.State.Idle };
                if (n < live.Count)
                {
                    var (state, busy, pid, tenant) = live[n];
                    status.State = draining ? SlotStatus.Types.State.Draining : State(state, busy);
                    status.Pid = pid;
                    status.TenantId = tenant ?? "";
                }

                request.Slots.Add(status);
            }
        }

        return request;
    }

    private static SlotStatus.Types.State State(SlotState state, bool busy) => state switch
    {
        SlotState.Starting => SlotStatus.Types.State.Starting,
        SlotState.Ready when busy => SlotStatus.Types.State.Busy,
        SlotState.Backoff => SlotStatus.Types.State.Crashed,
        _ => SlotStatus.Types.State.Idle,
    };
}
