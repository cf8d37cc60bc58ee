namespace McpPlatform.Access.Api.Options;

/// <summary>
/// Section "Access". Expected shape (defaults shown):
/// <code>
/// "Access": {
///   "KeyPepper": "(development default; set a long random secret in production)",
///   "Environment": "test",          // live | test; default: test in Development, live otherwise
///   "PositiveCacheTtl": "00:00:30", // how long the gateway may cache a good answer
///   "NegativeCacheTtl": "00:00:05", // ... and a rejection
///   "RotationGracePeriod": "1.00:00:00",
///   "LastUsedFlushInterval": "00:00:10",
///   "FailedValidationAuditsPerMinute": 60
/// }
/// </code>
/// </summary>
internal sealed class AccessOptions
{
    public const string SectionName = "Access";

    /// <summary>Works locally, is public, and is refused nowhere but warned about outside Development.</summary>
    public const string DevelopmentPepper = "mcpplatform-development-pepper-not-for-production";

    /// <summary>The server-side secret keys are HMAC-SHA256'd under (at least 32 characters). Changing it invalidates every key.</summary>
    public string KeyPepper { get; set; } = DevelopmentPepper;

    /// <summary>"live" or "test": which keys this deployment accepts. Null: test in Development, live otherwise.</summary>
    public string? Environment { get; set; }

    public TimeSpan PositiveCacheTtl { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan NegativeCacheTtl { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a rotated key keeps working after its replacement was issued (unless a shorter one is asked for).</summary>
    public TimeSpan RotationGracePeriod { get; set; } = TimeSpan.FromDays(1);

    /// <summary>How often the last-used times seen by validations are written (one batched UPDATE, never a write per request).</summary>
    public TimeSpan LastUsedFlushInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Failed validations audited per minute at most; the rest are counted into one summary row, so a flood cannot fill the log.</summary>
    public int FailedValidationAuditsPerMinute { get; set; } = 60;
}
