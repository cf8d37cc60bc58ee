using McpPlatform.Gateway.Edge.Access.Authentication;
using McpPlatform.Gateway.Edge.Access.Telemetry;
using McpPlatform.Redis;
using McpPlatform.Stores.RateLimiting;

namespace McpPlatform.Gateway.Edge.Access.Policy;

/// <summary>
/// The per-message policy, cheapest check first and nothing from PostgreSQL (the caller came from the key cache):
/// 1. the plan's servers and the key's scopes (403; <c>tools/call</c> checks the tool too);
/// 2. the rate limit per key (or per anonymous IP), every request but notifications (a client must always be able to
///    cancel), shared by every replica through <see cref="IRateLimiter"/> (429 + Retry-After);
/// 3. the monthly quota, <c>tools/call</c> only, counted per user (429 naming the limit and the reset date).
/// A failing Redis lets the request through (logged): limits protect capacity, Redis being down must not stop service.
/// </summary>
internal sealed class PlanCallPolicy(
    IRateLimiter rateLimiter,
    IQuotaCounter quota,
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
                     ?? await RateLimitAsync(caller, method, cancellationToken).ConfigureAwait(false)
                     ?? await QuotaAsync(caller, method, cancellationToken).ConfigureAwait(false);
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

    private async ValueTask<AccessDenial?> RateLimitAsync(Caller caller, string method, CancellationToken cancellationToken)
    {
        var plan = caller.Plan;
        if (plan.RequestsPerSecond <= 0 || method.StartsWith("notifications/", StringComparison.Ordinal))
        {
            return null;
        }

        var subject = caller.KeyId is { Length: > 0 } keyId ? $"key:{keyId}" : $"principal:{caller.PrincipalId}";
        try
        {
            var decision = await rateLimiter.AcquireAsync(subject, new RateLimitPolicy(plan.RequestsPerSecond, Math.Max(1, plan.Burst)), 1, cancellationToken).ConfigureAwait(false);
            return decision.Allowed
                ? null
                : AccessDenials.RateLimited(
                    $"Rate limit: {plan.RequestsPerSecond:0.###} requests per second (burst {Math.Max(1, plan.Burst)}) for this {(caller.IsAnonymous ? "client address" : "key")}; retry after the Retry-After delay.",
                    decision.RetryAfter);
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            AccessLog.LimitStoreFailed(logger, exception.Message);
            return null;
        }
    }

    private async ValueTask<AccessDenial?> QuotaAsync(Caller caller, string method, CancellationToken cancellationToken)
    {
        var limit = caller.Plan.MonthlyQuota;
        if (limit <= 0 || method != "tools/call")
        {
            return null;
        }

        var now = time.GetUtcNow();
        try
        {
            var (allowed, _) = await quota.TryConsumeAsync($"user:{caller.PrincipalId}", limit, now, cancellationToken).ConfigureAwait(false);
            return allowed ? null : AccessDenials.QuotaExceeded(limit, QuotaPeriod.ResetsAt(now), now);
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            AccessLog.LimitStoreFailed(logger, exception.Message);
            return null;
        }
    }
}
