namespace McpPlatform.Gateway.Edge.Access.Options;

/// <summary>
/// The gateway's access layer (API keys through Access.Api, RFC 9728 metadata, limits, usage).
/// </summary>
/// <remarks>
/// <code>
/// "Gateway": {
///   "AnonymousServers": [],                       // servers callable without credentials
///   "Access": {
///     "AuthorizationServer": null,                // Identity's issuer; null: this gateway's own origin
///     "PublicBaseUrl": null,                      // e.g. https://mcp.example.com; null: the request's scheme and host
///     "AccessApiService": "access-api",           // services:{name}:{endpoint}:0 is Access.Api's gRPC address
///     "AccessApiEndpoint": "grpc",
///     "ValidateTimeout": "00:00:03",
///     "Cache": { "MaxEntries": 10000, "MaxPositiveTtl": "00:05:00", "MaxNegativeTtl": "00:01:00", "StaleIfError": "00:10:00" },
///     "Anonymous": { "RequestsPerSecond": 5, "Burst": 20 },
///     "Limits": { "Allotments": true, "AllotmentWindow": "00:00:00.100", "MaxAllotment": 256 },
///     "Usage": { "StreamMaxLength": 1000000, "InProcessCapacity": 100000, "BatchSize": 500,
///                "RecordTimeout": "00:00:10", "MaxRetryDelay": "00:00:30", "ClaimIdle": "00:01:00" }
///   }
/// }
/// </code>
/// </remarks>
public sealed class AccessOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Gateway:Access";

    /// <summary>
    /// The issuer named in <c>authorization_servers</c>. Default null: the gateway's own origin, because the edge
    /// serves Identity's OAuth endpoints (<c>/authorize</c>, <c>/token</c>, its RFC 8414 metadata) there.
    /// </summary>
    public string? AuthorizationServer { get; set; }

    /// <summary>The public origin resource URLs are built from. Default null: the request's scheme and host.</summary>
    public string? PublicBaseUrl { get; set; }

    /// <summary>Access.Api's service name. Default <c>access-api</c>.</summary>
    public string AccessApiService { get; set; } = "access-api";

    /// <summary>Access.Api's gRPC endpoint name. Default <c>grpc</c>.</summary>
    public string AccessApiEndpoint { get; set; } = "grpc";

    /// <summary>Deadline of one ValidateKey call; past it the caller gets 503. Default 3 s.</summary>
    public TimeSpan ValidateTimeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>The per-replica cache of key validations.</summary>
    public KeyCacheOptions Cache { get; set; } = new();

    /// <summary>Limits for callers of anonymous servers.</summary>
    public AnonymousOptions Anonymous { get; set; } = new();

    /// <summary>How the rate limit and the monthly quota are taken from Redis (allotments).</summary>
    public LimitOptions Limits { get; set; } = new();

    /// <summary>The usage buffer and its drain to Access.Api.</summary>
    public UsageOptions Usage { get; set; } = new();

    /// <summary>Servers callable without credentials (bound from <c>Gateway:AnonymousServers</c>). Default none.</summary>
    public List<string> AnonymousServers { get; set; } = [];
}

/// <summary>Answers of ValidateKey are kept for the TTL Access.Api gives, capped here.</summary>
public sealed class KeyCacheOptions
{
    /// <summary>Entries kept at most (a flood of unknown keys cannot grow memory). Default 10,000.</summary>
    public int MaxEntries { get; set; } = 10_000;

    /// <summary>Longest a good answer is kept, whatever Access.Api says. Default 5 min.</summary>
    public TimeSpan MaxPositiveTtl { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Longest a rejection is kept. Default 1 min.</summary>
    public TimeSpan MaxNegativeTtl { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// While Access.Api cannot answer, a good answer keeps working this long past its TTL (revocation events still
    /// evict it; nothing can be revoked while Access.Api is down anyway). Default 10 min; zero turns it off.
    /// </summary>
    public TimeSpan StaleIfError { get; set; } = TimeSpan.FromMinutes(10);
}

/// <summary>Callers of anonymous servers are limited per client IP.</summary>
public sealed class AnonymousOptions
{
    /// <summary>Sustained requests per second per client IP. Default 5; 0 = unlimited.</summary>
    public double RequestsPerSecond { get; set; } = 5;

    /// <summary>Burst per client IP. Default 20.</summary>
    public int Burst { get; set; } = 20;
}

/// <summary>Usage events wait in a durable buffer until Access.Api has stored them.</summary>
public sealed class UsageOptions
{
    /// <summary>Entries the Redis stream keeps at most (oldest trimmed first). Default 1,000,000.</summary>
    public long StreamMaxLength { get; set; } = 1_000_000;

    /// <summary>Events the in-process buffer (single-node mode) keeps at most. Default 100,000.</summary>
    public int InProcessCapacity { get; set; } = 100_000;

    /// <summary>Events per RecordUsage call, and stream entries per read (an entry holds one append's events). Default 500.</summary>
    public int BatchSize { get; set; } = 500;

    /// <summary>
    /// After the first event of a batch, how long the drainer waits for more (up to <see cref="BatchSize"/>) before it
    /// calls RecordUsage: one PostgreSQL transaction and one audit-chain append per batch instead of per few events.
    /// Default 50 ms (the delay it adds before usage is visible in Access.Api); zero sends what is there at once.
    /// </summary>
    public TimeSpan BatchWindow { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// How long recorded events gather in the gateway's memory before they go to the Redis stream as one entry (at
    /// most 256 per entry). Default 5 ms; zero writes as soon as the background loop wakes. Events are
    /// durable only once in the stream: a gateway killed within this window (plus the write's round trip) loses them.
    /// </summary>
    public TimeSpan AppendWindow { get; set; } = TimeSpan.FromMilliseconds(5);

    /// <summary>Deadline of one RecordUsage call. Default 10 s.</summary>
    public TimeSpan RecordTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Longest wait between retries while Access.Api fails (doubling from 0.5 s). Default 30 s.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Entries another replica read but did not acknowledge for this long are taken over. Default 1 min.</summary>
    public TimeSpan ClaimIdle { get; set; } = TimeSpan.FromMinutes(1);
}
