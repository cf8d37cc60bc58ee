namespace McpPlatform.Stores.RateLimiting;

/// <summary>A sustained rate and the burst allowed above it (GCRA: the burst refills at the rate).</summary>
public readonly record struct RateLimitPolicy
{
    /// <summary>Creates a policy.</summary>
    /// <param name="permitsPerSecond">The sustained rate; more than zero.</param>
    /// <param name="burst">How many permits may be taken at once from a full bucket; at least one.</param>
    public RateLimitPolicy(double permitsPerSecond, int burst)
    {
        if (!(permitsPerSecond > 0) || double.IsInfinity(permitsPerSecond))
        {
            throw new ArgumentOutOfRangeException(nameof(permitsPerSecond), permitsPerSecond, "The rate must be a positive, finite number of permits per second.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(burst, 1);
        PermitsPerSecond = permitsPerSecond;
        Burst = burst;
    }

    /// <summary>The sustained rate.</summary>
    public double PermitsPerSecond { get; }

    /// <summary>The burst.</summary>
    public int Burst { get; }

    /// <summary>Time between two permits at the sustained rate, in microseconds.</summary>
    internal double EmissionMicroseconds => 1_000_000d / PermitsPerSecond;
}
