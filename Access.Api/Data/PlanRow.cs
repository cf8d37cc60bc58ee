namespace McpPlatform.Access.Api.Data;

/// <summary>A row of plans (also the REST shape of a plan).</summary>
internal sealed record PlanRow
{
    public string Id { get; init; } = "";

    public string Name { get; init; } = "";

    public double RequestsPerSecond { get; init; }

    public int Burst { get; init; }

    public int MaxConcurrentJobs { get; init; }

    public long MonthlyQuota { get; init; }

    public string[] AllowedServers { get; init; } = [];

    public int MaxOpenSessions { get; init; }

    public int? KeyExpiryDays { get; init; }
}
