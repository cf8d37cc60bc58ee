namespace McpPlatform.Gateway.Edge.Access;

/// <summary>The limits of a caller's plan, as the gateway and the dispatcher enforce them (0 = unlimited).</summary>
/// <param name="PlanId">The plan's id (per-plan admission in the dispatcher).</param>
/// <param name="RequestsPerSecond">Sustained MCP requests per second per key.</param>
/// <param name="Burst">Requests allowed at once above the sustained rate.</param>
/// <param name="MaxConcurrentJobs">Jobs running at once across all replicas (the dispatcher enforces it).</param>
/// <param name="MonthlyQuota">Tool calls per calendar month (UTC).</param>
/// <param name="AllowedServers">Servers the plan may use; empty means all.</param>
/// <param name="MaxOpenSessions">MCP sessions open at once.</param>
public sealed record CallerPlan(
    string PlanId,
    double RequestsPerSecond,
    int Burst,
    int MaxConcurrentJobs,
    long MonthlyQuota,
    IReadOnlyList<string> AllowedServers,
    int MaxOpenSessions)
{
    /// <summary>No limits: the development key and tests.</summary>
    public static CallerPlan Unlimited { get; } = new("unlimited", 0, 0, 0, 0, [], 0);
}
