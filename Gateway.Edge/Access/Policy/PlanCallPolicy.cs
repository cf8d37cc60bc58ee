using McpPlatform.Gateway.Edge.Access.Authentication;
using McpPlatform.Gateway.Edge.Access.Telemetry;
using McpPlatform.Redis;
using McpPlatform.Stores.RateLimiting;

namespace McpPlatform.Gateway.Edge.Access.Policy;

/// <summary>
/// The per-message policy, cheapest check first and nothing from PostgreSQL (the caller came from the key cache):
/// 1. the plan's servers and the key's scopes (403; <c>tools/call</c> checks the tool too);
/// 2. the rate limit per key (or per anonymous IP), every request but notifications (a client must always be able to
///    cancel): 429 + Retry-After;
/// 3. the monthly quota, <c>tools/call</c> only, counted per user: 429 naming the limit and the reset date.
/// 2 and 3 are one <see cref="ICallLimiter"/> step shared by every replica (with Redis, one script call per allotment:
/// a busy key of a high-rate plan takes its permits and units in chunks), and a call refused by one of them consumes
/// nothing of the other.
/// A failing Redis lets the request through (logged): limits protect capacity, Redis being down must not stop service.
/// </summary>
internal sealed class PlanCallPolicy(
    ICallLimiter limiter,
    AccessDenials denials,
    AccessMetrics metrics,
    TimeProvider time,
    ILogger<PlanCallPolicy> logger) : ICallPolicy
{
    public async ValueTask<AccessDenial?> AuthorizeAsync(Caller caller, string server, string method, string? name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentException.ThrowIfNullOrEmpty(server);
        ArgumentException.ThrowIfNullOrEmpty(method);
        var denial = Scopes(caller, server, method, name)
                     ?? await LimitsAsync(caller, method, cancellationToken).ConfigureAwait(false);
        if (denial is not null)
        {
            metrics.Denied(denial.Reason);
        }

        return denial;
    }

    public bool MayCallTool(Caller caller, string server, string tool)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return ScopeGlob.PlanAllows(caller, server) && ScopeGlob.ScopesAllowTool(caller, server, tool);
    }

    public AccessDenial? AuthorizeNewSession(Caller caller, long openSessions)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var max = caller.Plan.MaxOpenSessions;
        if (max > 0 && openSessions >= max)
        {
            metrics.Denied("session_limit");
            return AccessDenials.TooManySessions(max);
        }

        return null;
    }

    private AccessDenial? Scopes(Caller caller, string server, string method, string? name)
    {
        if (!ScopeGlob.PlanAllows(caller, server))
        {
            return denials.InsufficientScope(null, server, null, "server_not_allowed", $"The plan '{caller.Plan.PlanId}' does not include this server.");
        }

        if (!ScopeGlob.ScopesAllowServer(caller, server))
        {
            return denials.InsufficientScope(null, server, null, "insufficient_scope", "The API key's scopes do not include this server.");
        }

        if (method == "tools/call" && name is not null && !ScopeGlob.ScopesAllowTool(caller, server, name))
        {
            return denials.InsufficientScope(null, server, name, "insufficient_scope", "The API key's scopes do not include this tool.");
        }

        return null;
    }

    private async ValueTask<AccessDenial?> LimitsAsync(Caller caller, string method, CancellationToken cancellationToken)
    {
        var plan = caller.Plan;
        var rated = plan.RequestsPerSecond > 0 && !method.StartsWith("notifications/", StringComparison.Ordinal);
        var quota = method == "tools/call" ? Math.Max(0, plan.MonthlyQuota) : 0;
        if (!rated && quota == 0)
        {
            return null;
        }

        var burst = Math.Max(1, plan.Burst);
        var now = time.GetUtcNow();
        var limits = new CallLimits(
            caller.KeyId is { Length: > 0 } keyId ? $"key:{keyId}" : $"principal:{caller.PrincipalId}",
            rated ? new RateLimitPolicy(plan.RequestsPerSecond, burst) : null,
            $"user:{caller.PrincipalId}",
            quota,
            now);
        try
        {
            var decision = await limiter.AcquireAsync(limits, cancellationToken).ConfigureAwait(false);
            return decision.Outcome switch
            {
                LimitOutcome.RateLimited => AccessDenials.RateLimited(
                    $"Rate limit: {plan.RequestsPerSecond:0.###} requests per second (burst {burst}) for this {(caller.IsAnonymous ? "client address" : "key")}; retry after the Retry-After delay.",
                    decision.RetryAfter),
                LimitOutcome.QuotaExceeded => AccessDenials.QuotaExceeded(quota, QuotaPeriod.ResetsAt(now), now),
                _ => null,
            };
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            AccessLog.LimitStoreFailed(logger, exception.Message);
            return null;
        }
    }
}
