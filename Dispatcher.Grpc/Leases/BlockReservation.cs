namespace McpPlatform.Dispatcher.Grpc.Leases;

/// <summary>
/// The store's answer to a <see cref="BlockRequest"/>: the plan was full (nothing taken), or the places taken —
/// plan places, and slot places with the index of their slot in the request. When slots were wanted and none was
/// free, no plan place is taken either (as with a single lease).
/// </summary>
internal sealed record BlockReservation(bool PlanFull, IReadOnlyList<StorePlace> PlanPlaces, IReadOnlyList<(int SlotIndex, StorePlace Place)> SlotPlaces)
{
    public static readonly BlockReservation PlanFullAnswer = new(true, [], []);
}
