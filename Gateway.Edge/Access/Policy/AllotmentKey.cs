using McpPlatform.Stores.RateLimiting;

namespace McpPlatform.Gateway.Edge.Access.Policy;

/// <summary>
/// Whose allotment, under which limits: a plan change (another rate, burst or quota) makes another key, so new limits
/// apply from the next call and the old allotment is given back once idle.
/// </summary>
/// <param name="RateSubject">The rate bucket's subject; null when the call is not rate limited.</param>
/// <param name="Rate">The plan's rate and burst; null: no rate limit.</param>
/// <param name="QuotaSubject">The quota's subject; null when the call is not counted.</param>
/// <param name="Month">The quota's month as yyyyMM (its counter is per month).</param>
/// <param name="QuotaLimit">Calls per month; 0: not counted.</param>
internal readonly record struct AllotmentKey(string? RateSubject, RateLimitPolicy? Rate, string? QuotaSubject, int Month, long QuotaLimit)
{
    public static AllotmentKey From(CallLimits limits)
    {
        var utc = limits.Now.UtcDateTime;
        var counted = limits.QuotaLimit > 0;
        return new AllotmentKey(
            limits.Rate is null ? null : limits.RateSubject,
            limits.Rate,
            counted ? limits.QuotaSubject : null,
            counted ? (utc.Year * 100) + utc.Month : 0,
            Math.Max(0, limits.QuotaLimit));
    }
}
