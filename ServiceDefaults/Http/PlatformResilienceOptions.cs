using System.ComponentModel.DataAnnotations;

namespace McpPlatform.ServiceDefaults.Http;

/// <summary>
/// Resilience for service-to-service HTTP calls (section <c>Resilience</c>). Defaults suit calls
/// between services on one network; streaming calls (SSE forwarding) use their own client.
/// <code>{ "Resilience": { "AttemptTimeout": "00:00:10", "TotalTimeout": "00:00:30", "MaxRetries": 3 } }</code>
/// </summary>
public sealed class PlatformResilienceOptions
{
    /// <summary>Time allowed for one attempt.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Time allowed for the call including retries.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Retries of idempotent requests after a transient failure (connection refused, 5xx, 408, 429).</summary>
    [Range(0, 10)]
    public int MaxRetries { get; set; } = 3;

    /// <summary>Failure ratio over <see cref="BreakerSamplingDuration"/> that opens the circuit.</summary>
    [Range(0.01, 1.0)]
    public double BreakerFailureRatio { get; set; } = 0.5;

    /// <summary>Window over which the breaker measures failures.</summary>
    [Range(typeof(TimeSpan), "00:00:00.500", "01:00:00")]
    public TimeSpan BreakerSamplingDuration { get; set; } = TimeSpan.FromSeconds(30);
}
