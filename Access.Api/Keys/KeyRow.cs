namespace McpPlatform.Access.Api.Keys;

/// <summary>A row of api_keys as lists show it (never the hash).</summary>
internal sealed record KeyRow
{
    public Guid Id { get; init; }

    public Guid UserId { get; init; }

    public required string Name { get; init; }

    public required string DisplayPrefix { get; init; }

    public required string Environment { get; init; }

    public required string Scopes { get; init; }

    public required string PlanOverrides { get; init; }

    public DateTime CreatedAt { get; init; }

    public DateTime? ExpiresAt { get; init; }

    public DateTime? RevokedAt { get; init; }

    public Guid? ReplacedBy { get; init; }

    public DateTime? GraceEndsAt { get; init; }

    public DateTime? LastUsedAt { get; init; }
}
