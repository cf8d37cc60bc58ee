using System.Text.Json.Nodes;
using McpPlatform.Access.Api.Audit;
using McpPlatform.Access.Api.Telemetry;
using McpPlatform.Contracts.Access.V1;
using Npgsql;
using NpgsqlTypes;

namespace McpPlatform.Access.Api.Usage;

/// <summary>
/// Stores a batch of usage events in one INSERT (ON CONFLICT (event_id) DO NOTHING, so a retried batch is counted
/// once) and, in the same transaction, one audit row per newly stored tools/call (seed 003 audits every tool
/// invocation), appended to the chain as one batch.
/// </summary>
internal sealed class UsageRecorder(NpgsqlDataSource dataSource, AuditWriter audit, AccessMetrics metrics, TimeProvider time)
{
    public const int MaxBatch = 10_000;

    public async Task<RecordUsageResponse> RecordAsync(IReadOnlyList<UsageEvent> events, CancellationToken cancellationToken)
    {
        if (events.Count == 0)
        {
            return new RecordUsageResponse();
        }

        var now = time.GetUtcNow().UtcDateTime;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var insert = new NpgsqlCommand(
            """
            INSERT INTO usage_events (event_id, occurred_at, user_id, tenant_id, key_id, server, method, tool, session_id,
                                      duration_ms, status, request_bytes, response_bytes, gateway_id)
            SELECT * FROM unnest(@event_id, @occurred_at, @user_id, @tenant_id, @key_id, @server, @method, @tool, @session_id,
                                 @duration_ms, @status, @request_bytes, @response_bytes, @gateway_id)
            ON CONFLICT (event_id) DO NOTHING
            RETURNING event_id
            """, connection, transaction);
        Text(insert, "event_id", events, e => e.EventId);
        insert.Parameters.Add(new NpgsqlParameter("occurred_at", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz)
        {
            Value = events.Select(e => e.OccurredAt is null ? now : e.OccurredAt.ToDateTime()).ToArray(),
        });
        Text(insert, "user_id", events, e => e.UserId);
        Text(insert, "tenant_id", events, e => e.TenantId);
        Text(insert, "key_id", events, e => e.KeyId);
        Text(insert, "server", events, e => e.Server);
        Text(insert, "method", events, e => e.Method);
        Text(insert, "tool", events, e => e.Tool);
        Text(insert, "session_id", events, e => e.SessionId);
        insert.Parameters.Add(new NpgsqlParameter("duration_ms", NpgsqlDbType.Array | NpgsqlDbType.Double)
        {
            Value = events.Select(e => e.Duration is null ? 0d : e.Duration.ToTimeSpan().TotalMilliseconds).ToArray(),
        });
        Text(insert, "status", events, e => e.Status);
        insert.Parameters.Add(new NpgsqlParameter("request_bytes", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = events.Select(e => e.RequestBytes).ToArray() });
        insert.Parameters.Add(new NpgsqlParameter("response_bytes", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = events.Select(e => e.ResponseBytes).ToArray() });
        Text(insert, "gateway_id", events, e => e.GatewayId);

        var stored = new HashSet<string>(StringComparer.Ordinal);
        await using (var reader = await insert.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                stored.Add(reader.GetString(0));
            }
        }

        // A batch may carry the same event twice; only the first of them was stored and is audited.
        var audited = new HashSet<string>(StringComparer.Ordinal);
        var entries = events
            .Where(e => e.Method == "tools/call" && stored.Contains(e.EventId) && audited.Add(e.EventId))
            .Select(e => new AuditEntry(
                e.OccurredAt is null ? now : e.OccurredAt.ToDateTime(),
                e.KeyId.Length > 0 ? "key:" + e.KeyId : "user:" + e.UserId,
                "tool.call",
                e.Server + "/" + e.Tool,
                "",
                new JsonObject
                {
                    ["eventId"] = e.EventId,
                    ["userId"] = e.UserId,
                    ["tenantId"] = e.TenantId,
                    ["sessionId"] = e.SessionId,
                    ["status"] = e.Status,
                    ["durationMs"] = e.Duration is null ? 0 : e.Duration.ToTimeSpan().TotalMilliseconds,
                    ["gatewayId"] = e.GatewayId,
                }))
            .ToList();
        await audit.AppendAsync(connection, transaction, entries, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);

        var duplicates = events.Count - stored.Count;
        metrics.UsageStored(stored.Count, duplicates);
        return new RecordUsageResponse { Accepted = stored.Count, Duplicates = duplicates };
    }

    private static void Text(NpgsqlCommand command, string name, IReadOnlyList<UsageEvent> events, Func<UsageEvent, string> value) =>
        command.Parameters.Add(new NpgsqlParameter(name, NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = events.Select(value).ToArray() });
}
