using Dapper;
using Npgsql;

namespace McpPlatform.Access.Api.Usage;

/// <summary>Per-day (UTC) aggregates of usage_events, per server and tool; for one user, or per user for admins.</summary>
internal sealed class UsageQueries(NpgsqlDataSource dataSource)
{
    public async Task<IReadOnlyList<UsageDay>> DailyAsync(string? userId, bool perUser, DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        var userColumn = perUser ? "user_id" : "NULL::text";
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            $"""
            SELECT (occurred_at AT TIME ZONE 'UTC')::date AS day, {userColumn} AS user_id, server, tool,
                   count(*) AS calls, count(*) FILTER (WHERE status <> 'ok') AS errors,
                   COALESCE(sum(duration_ms), 0) AS total_duration_ms,
                   COALESCE(sum(request_bytes), 0)::bigint AS request_bytes, COALESCE(sum(response_bytes), 0)::bigint AS response_bytes
            FROM usage_events
            WHERE (@userId::text IS NULL OR user_id = @userId) AND occurred_at >= @from AND occurred_at < @to
            GROUP BY 1, 2, 3, 4
            ORDER BY 1, 2, 3, 4
            """,
            new
            {
                userId,
                from = from.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc),
                to = to.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc),
            }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.Select(row => new UsageDay
        {
            Day = row.Day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            UserId = row.UserId,
            Server = row.Server,
            Tool = row.Tool,
            Calls = row.Calls,
            Errors = row.Errors,
            TotalDurationMs = row.TotalDurationMs,
            RequestBytes = row.RequestBytes,
            ResponseBytes = row.ResponseBytes,
        }).ToArray();
    }

    private sealed record Row
    {
        public DateTime Day { get; init; }

        public string? UserId { get; init; }

        public string Server { get; init; } = "";

        public string Tool { get; init; } = "";

        public long Calls { get; init; }

        public long Errors { get; init; }

        public double TotalDurationMs { get; init; }

        public long RequestBytes { get; init; }

        public long ResponseBytes { get; init; }
    }
}
