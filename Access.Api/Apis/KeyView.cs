using McpPlatform.Access.Api.Keys;

namespace McpPlatform.Access.Api.Apis;

/// <summary>A key as the REST API shows it: never the secret (except <see cref="CreatedKeyView"/>, once), never the hash.</summary>
internal record KeyView(
    Guid Id, Guid UserId, string Name, string Prefix, string Environment, string Status, KeyScope[] Scopes, PlanOverrides PlanOverrides,
    DateTime CreatedAt, DateTime? ExpiresAt, DateTime? RevokedAt, Guid? ReplacedBy, DateTime? GraceEndsAt, DateTime? LastUsedAt)
{
    public static KeyView From(KeyRow row, DateTime now) => new(
        row.Id, row.UserId, row.Name, row.DisplayPrefix + "…", row.Environment, StatusOf(row, now),
        JsonColumns.Scopes(row.Scopes), JsonColumns.Read<PlanOverrides>(row.PlanOverrides),
        row.CreatedAt, row.ExpiresAt, row.RevokedAt, row.ReplacedBy, row.GraceEndsAt, row.LastUsedAt);

    private static string StatusOf(KeyRow row, DateTime now) =>
        row.RevokedAt is not null ? "revoked"
        : row.GraceEndsAt is { } grace ? (grace <= now ? "rotated" : "rotating")
        : row.ExpiresAt is { } expires && expires <= now ? "expired"
        : "active";
}

/// <summary>A key just created or rotated: the only answer that carries the secret.</summary>
internal sealed record CreatedKeyView(string Key, KeyView Details);
