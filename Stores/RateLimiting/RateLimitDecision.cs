namespace McpPlatform.Stores.RateLimiting;

/// <summary>The answer of a rate limiter.</summary>
/// <param name="Allowed">Whether the permits were granted.</param>
/// <param name="RetryAfter">When denied, how long until the same request would be allowed (the Retry-After); zero when allowed.</param>
/// <param name="Remaining">How many more permits could be taken right now.</param>
public readonly record struct RateLimitDecision(bool Allowed, TimeSpan RetryAfter, long Remaining);
