namespace McpPlatform.Gateway.Edge.Access.Policy;

/// <summary>Monthly call counters (UTC calendar months), shared by every replica through Redis.</summary>
internal interface IQuotaCounter
{
    /// <summary>
    /// Counts one call of <paramref name="subject"/> in the month of <paramref name="now"/> unless that would pass
    /// <paramref name="limit"/>; returns whether it was counted and the count after the call.
    /// </summary>
    ValueTask<(bool Allowed, long Used)> TryConsumeAsync(string subject, long limit, DateTimeOffset now, CancellationToken cancellationToken);
}
