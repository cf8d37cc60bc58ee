using McpPlatform.Contracts.Common.V1;

namespace McpPlatform.Dispatcher.Grpc.Leases;

/// <summary>A lease this replica granted: a place on one worker slot, plus the plan's concurrency lease.</summary>
internal sealed class SlotLease
{
    public required string LeaseId { get; init; }

    public required string Token { get; init; }

    public required string WorkerId { get; init; }

    public required string WorkerAddress { get; init; }

    public required string SlotId { get; init; }

    public required string Server { get; init; }

    public required Isolation Isolation { get; init; }

    public required TimeSpan Ttl { get; set; }

    public required DateTimeOffset ExpiresAt { get; set; }

    /// <summary>Renewed by the <see cref="LeaseKeeper"/> while the work runs (Relay and Session); Admit leases are renewed by their holder, banked Relay leases by the <see cref="LeaseBankKeeper"/> (false here).</summary>
    public required bool AutoRenew { get; init; }

    /// <summary>The plan-concurrency key this lease also holds a place under, or null when the plan is unlimited.</summary>
    public string? PlanKey { get; init; }

    public string SlotKey => LeaseIds.SlotKey(WorkerId, SlotId);
}
