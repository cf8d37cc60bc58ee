using McpPlatform.Stores.RateLimiting;

namespace McpPlatform.Gateway.Edge.Access.Policy;

/// <summary>
/// The rate limit and the monthly quota decided together, in one step that every replica shares: a call refused by
/// one limit consumes nothing from the other (a rate-limited call does not count against the quota, a call over the
/// quota does not take a rate permit).
/// </summary>
internal interface ICallLimiter
{
    /// <summary>
    /// Takes one rate permit and, when <see cref="CallLimits.QuotaLimit"/> is positive, one call of the month. Throws
    /// the store's exception when it cannot decide (the policy then lets the call through).
    /// </summary>
    ValueTask<LimitDecision> AcquireAsync(CallLimits limits, CancellationToken cancellationToken);
}

/// <summary>What one call is checked against.</summary>
/// <param name="RateSubject">Whose rate bucket, e.g. <c>key:{id}</c> or <c>principal:{ip}</c>.</param>
/// <param name="Rate">The plan's rate and burst; null: no rate limit.</param>
/// <param name="QuotaSubject">Whose monthly counter, e.g. <c>user:{id}</c>.</param>
/// <param name="QuotaLimit">Calls per UTC month; 0: this call is not counted (not a <c>tools/call</c>, or no quota).</param>
/// <param name="Now">The gateway's clock: it names the quota's month (the rate limit runs on the store's clock).</param>
internal readonly record struct CallLimits(string RateSubject, RateLimitPolicy? Rate, string QuotaSubject, long QuotaLimit, DateTimeOffset Now);

/// <summary>Which limit, if any, refused the call.</summary>
internal enum LimitOutcome
{
    Allowed,
    RateLimited,
    QuotaExceeded,
}

/// <summary>The answer: the outcome, how long a rate-limited caller should wait, and the month's count.</summary>
/// <param name="Outcome">Allowed, or the limit that refused.</param>
/// <param name="RetryAfter">For <see cref="LimitOutcome.RateLimited"/>, when the same call would be allowed.</param>
/// <param name="QuotaUsed">
/// Calls counted this month after this one (0 when the quota was not involved). When the call was answered from a
/// local allotment it is this replica's best estimate (the counter at its last reservation less the units it still
/// holds); only refusals are exact. Nothing relies on it for an answer: quota refusals carry the limit, not the count.
/// </param>
internal readonly record struct LimitDecision(LimitOutcome Outcome, TimeSpan RetryAfter, long QuotaUsed);
