using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using McpPlatform.Access.Api.Audit;
using McpPlatform.Access.Api.Keys;
using Npgsql;

namespace McpPlatform.Access.Api.Data;

/// <summary>Plans: list, get, create, replace, delete (refused while users are on it); audited, and published to the gateways.</summary>
internal sealed class PlanStore(NpgsqlDataSource dataSource, AuditWriter audit, KeyInvalidation invalidation, TimeProvider time)
{
    private const string Columns = "id, name, requests_per_second, burst, max_concurrent_jobs, monthly_quota, allowed_servers, max_open_sessions, key_expiry_days";

    public async Task<IReadOnlyList<PlanRow>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return (await connection.QueryAsync<PlanRow>(new CommandDefinition($"SELECT {Columns} FROM plans ORDER BY id", cancellationToken: cancellationToken)).ConfigureAwait(false)).AsList();
    }

    public async Task<PlanRow?> GetAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await connection.QuerySingleOrDefaultAsync<PlanRow>(new CommandDefinition($"SELECT {Columns} FROM plans WHERE id = @id", new { id }, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    public Task<StoreResult<PlanRow>> CreateAsync(PlanRow plan, string actor, string ip, CancellationToken cancellationToken) =>
        WriteAsync("plan.create", plan.Id, actor, ip, cancellationToken, async (connection, transaction) =>
            await connection.QuerySingleOrDefaultAsync<PlanRow>(new CommandDefinition(
                $"""
                INSERT INTO plans ({Columns})
                VALUES (@Id, @Name, @RequestsPerSecond, @Burst, @MaxConcurrentJobs, @MonthlyQuota, @AllowedServers, @MaxOpenSessions, @KeyExpiryDays)
                ON CONFLICT DO NOTHING RETURNING {Columns}
                """, plan, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false),
            StoreOutcome.Conflict);

    public async Task<StoreResult<PlanRow>> ReplaceAsync(PlanRow plan, string actor, string ip, CancellationToken cancellationToken)
    {
        var result = await WriteAsync("plan.update", plan.Id, actor, ip, cancellationToken, async (connection, transaction) =>
            await connection.QuerySingleOrDefaultAsync<PlanRow>(new CommandDefinition(
                $"""
                UPDATE plans SET name = @Name, requests_per_second = @RequestsPerSecond, burst = @Burst, max_concurrent_jobs = @MaxConcurrentJobs,
                                 monthly_quota = @MonthlyQuota, allowed_servers = @AllowedServers, max_open_sessions = @MaxOpenSessions,
                                 key_expiry_days = @KeyExpiryDays
                WHERE id = @Id RETURNING {Columns}
                """, plan, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false),
            StoreOutcome.NotFound).ConfigureAwait(false);
        if (result.Outcome == StoreOutcome.Done)
        {
            await invalidation.PlanAsync("plan-changed", plan.Id, cancellationToken).ConfigureAwait(false);
        }

        return result;
    }

    public async Task<StoreOutcome> DeleteAsync(string id, string actor, string ip, CancellationToken cancellationToken)
    {
        try
        {
            var result = await WriteAsync("plan.delete", id, actor, ip, cancellationToken, async (connection, transaction) =>
                await connection.QuerySingleOrDefaultAsync<PlanRow>(new CommandDefinition(
                    $"DELETE FROM plans WHERE id = @id RETURNING {Columns}", new { id }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false),
                StoreOutcome.NotFound).ConfigureAwait(false);
            return result.Outcome;
        }
        catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.ForeignKeyViolation)
        {
            return StoreOutcome.InUse;
        }
    }

    private async Task<StoreResult<PlanRow>> WriteAsync(
        string action, string planId, string actor, string ip, CancellationToken cancellationToken,
        Func<NpgsqlConnection, NpgsqlTransaction, Task<PlanRow?>> write, StoreOutcome whenNoRow)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var row = await write(connection, transaction).ConfigureAwait(false);
        if (row is null)
        {
            return whenNoRow;
        }

        var details = JsonSerializer.SerializeToNode(row, JsonColumns.Options)!.AsObject();
        await audit.AppendAsync(connection, transaction, [new AuditEntry(time.GetUtcNow().UtcDateTime, actor, action, "plan:" + planId, ip, details)], cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return StoreResult<PlanRow>.Done(row);
    }
}
