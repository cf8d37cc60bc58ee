namespace McpPlatform.Access.Api.Keys;

/// <summary>What validation needs about a key, its owner and the owner's plan, from one indexed query.</summary>
internal sealed record KeyLookupRow
{
    public Guid Id { get; init; }

    public Guid UserId { get; init; }

    public required string Name { get; init; }

    public required string DisplayPrefix { get; init; }

    public required string Scopes { get; init; }

    public required string PlanOverrides { get; init; }

    public DateTime? ExpiresAt { get; init; }

    public DateTime? RevokedAt { get; init; }

    public DateTime? GraceEndsAt { get; init; }

    public bool UserDisabled { get; init; }

    public string[] Roles { get; init; } = [];

    public required string PlanId { get; init; }

    public required string PlanName { get; init; }

    public double RequestsPerSecond { get; init; }

    public int Burst { get; init; }

    public int MaxConcurrentJobs { get; init; }

    public long MonthlyQuota { get; init; }

    public string[] AllowedServers { get; init; } = [];

    public int MaxOpenSessions { get; init; }
}
