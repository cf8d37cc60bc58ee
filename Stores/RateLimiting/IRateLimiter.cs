namespace McpPlatform.Stores.RateLimiting;

/// <summary>
/// A per-key rate limiter (GCRA, equivalent to a token bucket): every replica sharing the store shares the limit.
/// </summary>
public interface IRateLimiter
{
    /// <summary>Takes <paramref name="permits"/> from <paramref name="key"/>'s bucket if they are available.</summary>
    /// <param name="key">What is limited, e.g. an API key id.</param>
    /// <param name="policy">The rate and burst for this key.</param>
    /// <param name="permits">How many permits; at most the burst.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    ValueTask<RateLimitDecision> AcquireAsync(string key, RateLimitPolicy policy, int permits = 1, CancellationToken cancellationToken = default);
}
