namespace McpPlatform.Dispatcher.Grpc.Leases;

/// <summary>
/// What a lease bank asks the store for in one step: up to <see cref="SlotWant"/> places spread over
/// <see cref="SlotKeys"/> in order (at most <see cref="SlotLimit"/> live members each) and up to
/// <see cref="PlanWant"/> places on the plan's set (at most <see cref="PlanLimit"/>), all named after
/// <see cref="BlockToken"/> ("{token}:{n}" on slots, "{token}:p{n}" on the plan).
/// </summary>
internal sealed record BlockRequest(
    string? PlanKey,
    int PlanLimit,
    int PlanWant,
    IReadOnlyList<string> SlotKeys,
    int SlotLimit,
    int SlotWant,
    string BlockToken,
    TimeSpan Ttl)
{
    /// <summary>The member name of the <paramref name="n"/>th slot place (1-based) of a block.</summary>
    public static string SlotMember(string blockToken, int n) => blockToken + ":" + n.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The member name of the <paramref name="n"/>th plan place (1-based) of a block.</summary>
    public static string PlanMember(string blockToken, int n) => blockToken + ":p" + n.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The places a store's answer stands for: how many plan places, then how many on each slot.</summary>
    public BlockReservation Decode(int planTaken, IReadOnlyList<int> takenPerSlot)
    {
        if (planTaken < 0)
        {
            return BlockReservation.PlanFullAnswer;
        }

        var plan = new List<StorePlace>(planTaken);
        for (var n = 1; n <= planTaken; n++)
        {
            plan.Add(new StorePlace(PlanKey!, PlanMember(BlockToken, n)));
        }

        var slots = new List<(int, StorePlace)>();
        var member = 0;
        for (var i = 0; i < takenPerSlot.Count; i++)
        {
            for (var k = 0; k < takenPerSlot[i]; k++)
            {
                slots.Add((i, new StorePlace(SlotKeys[i], SlotMember(BlockToken, ++member))));
            }
        }

        return new BlockReservation(false, plan, slots);
    }
}
