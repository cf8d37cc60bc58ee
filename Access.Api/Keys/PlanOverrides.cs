using McpPlatform.Access.Api.Data;
using McpPlatform.Contracts.Access.V1;

namespace McpPlatform.Access.Api.Keys;

/// <summary>A key's overrides of its owner's plan (stored as jsonb); an absent field keeps the plan's value.</summary>
internal sealed record PlanOverrides
{
    public double? RequestsPerSecond { get; init; }

    public int? Burst { get; init; }

    public int? MaxConcurrentJobs { get; init; }

    public long? MonthlyQuota { get; init; }

    public string[]? AllowedServers { get; init; }

    public int? MaxOpenSessions { get; init; }

    /// <summary>The effective plan: <paramref name="plan"/> with these overrides applied.</summary>
    public Plan Apply(PlanRow plan)
    {
        var effective = new Plan
        {
            PlanId = plan.Id,
            Name = plan.Name,
            RequestsPerSecond = RequestsPerSecond ?? plan.RequestsPerSecond,
            Burst = Burst ?? plan.Burst,
            MaxConcurrentJobs = MaxConcurrentJobs ?? plan.MaxConcurrentJobs,
            MonthlyQuota = MonthlyQuota ?? plan.MonthlyQuota,
            MaxOpenSessions = MaxOpenSessions ?? plan.MaxOpenSessions,
        };
        effective.AllowedServers.AddRange(AllowedServers ?? plan.AllowedServers);
        return effective;
    }

    /// <summary>Problems with these values (REST validation), empty when fine.</summary>
    public IEnumerable<string> Problems()
    {
        if (RequestsPerSecond is <= 0)
        {
            yield return "requestsPerSecond must be positive.";
        }

        if (Burst is <= 0)
        {
            yield return "burst must be positive.";
        }

        if (MaxConcurrentJobs is < 0 || MonthlyQuota is < 0 || MaxOpenSessions is < 0)
        {
            yield return "limits must not be negative (0 means unlimited).";
        }
    }
}
