using McpPlatform.Contracts.Common.V1;
using McpPlatform.Contracts.Worker.V1;

namespace McpPlatform.Dispatcher.Grpc.Registry;

/// <summary>A registered worker as the registry stores it: what it announced and its latest heartbeat.</summary>
internal sealed record WorkerRecord(RegisterRequest Registration, HeartbeatRequest? LastHeartbeat)
{
    public string Id => Registration.WorkerId;

    public string Address => Registration.Address;

    public bool Draining => LastHeartbeat?.Draining ?? false;

    public CatalogEntry? Find(string server) => Registration.Catalog.FirstOrDefault(entry => entry.Name == server);

    /// <summary>The slots of <paramref name="entry"/> that may take work: "server/n" for n below max_slots, minus those the last heartbeat reports crashed, recycling or draining.</summary>
    public IReadOnlyList<string> UsableSlots(CatalogEntry entry)
    {
        var slots = new List<string>(Math.Max(entry.MaxSlots, 1));
        for (var n = 0; n < Math.Max(entry.MaxSlots, 1); n++)
        {
            var slotId = $"{entry.Name}/{n}";
            var state = LastHeartbeat?.Slots.FirstOrDefault(slot => slot.SlotId == slotId)?.State;
            if (state is not (SlotStatus.Types.State.Crashed or SlotStatus.Types.State.Recycling or SlotStatus.Types.State.Draining))
            {
                slots.Add(slotId);
            }
        }

        return slots;
    }

    /// <summary>Every slot id the worker may run (for dropping its leases when it is lost).</summary>
    public IEnumerable<string> AllSlots() => Registration.Catalog.SelectMany(entry => Enumerable.Range(0, Math.Max(entry.MaxSlots, 1)).Select(n => $"{entry.Name}/{n}"));

    public Isolation IsolationOf(string server) => Find(server)?.Isolation ?? Isolation.Unspecified;
}
