using System.Text.Json;
using Dapper;
using McpPlatform.Access.Api.Audit;
using McpPlatform.Access.Api.Auth;
using McpPlatform.Access.Api.Usage;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace McpPlatform.Access.Api.Apis;

/// <summary>/admin/audit (pages, newest first), /admin/audit/verify (the first broken link), /admin/usage (per user, per day).</summary>
internal static class AdminAuditApi
{
    public static IEndpointRouteBuilder MapAdminAuditApi(this IEndpointRouteBuilder endpoints)
    {
        var admin = endpoints.MapGroup("/admin").RequireAuthorization(AccessClaims.AdminPolicy);
        admin.MapGet("/audit", PageAsync);
        admin.MapGet("/audit/verify", VerifyAsync);
        admin.MapGet("/usage", (UsageQueries queries, TimeProvider time, string? from, string? to, string? userId, CancellationToken cancellationToken) =>
            UsageApi.ReportAsync(queries, time, from, to, userId, perUser: true, cancellationToken));
        return endpoints;
    }

    /// <summary>GET /admin/audit?before={seq}&amp;limit=50: rows with seq below <c>before</c>, newest first; <c>nextBefore</c> continues.</summary>
    public static async Task<Ok<AuditPage>> PageAsync(NpgsqlDataSource dataSource, long? before, int? limit, CancellationToken cancellationToken)
    {
        var take = Cursor.Limit(limit);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = (await connection.QueryAsync<AuditRow>(new CommandDefinition(
            """
            SELECT seq, occurred_at, actor, action, target, ip, details::text AS details, encode(hash, 'hex') AS hash
            FROM audit_log WHERE (@before::bigint IS NULL OR seq < @before) ORDER BY seq DESC LIMIT @take
            """, new { before, take }, cancellationToken: cancellationToken))).AsList();
        var items = rows.Select(row => new AuditItem(row.Seq, row.OccurredAt, row.Actor, row.Action, row.Target, row.Ip,
            JsonDocument.Parse(row.Details).RootElement.Clone(), row.Hash)).ToArray();
        return TypedResults.Ok(new AuditPage(items, rows.Count == take ? rows[^1].Seq : null));
    }

    public static async Task<Ok<AuditVerification>> VerifyAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return TypedResults.Ok(await AuditVerifier.VerifyAsync(connection, cancellationToken));
    }

    public sealed record AuditPage(IReadOnlyList<AuditItem> Items, long? NextBefore);

    public sealed record AuditItem(long Seq, DateTime OccurredAt, string Actor, string Action, string Target, string Ip, JsonElement Details, string Hash);

    private sealed record AuditRow
    {
        public long Seq { get; init; }

        public DateTime OccurredAt { get; init; }

        public string Actor { get; init; } = "";

        public string Action { get; init; } = "";

        public string Target { get; init; } = "";

        public string Ip { get; init; } = "";

        public string Details { get; init; } = "{}";

        public string Hash { get; init; } = "";
    }
}
