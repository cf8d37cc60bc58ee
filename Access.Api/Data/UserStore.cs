using System.Text.Json.Nodes;
using Dapper;
using McpPlatform.Access.Api.Audit;
using McpPlatform.Access.Api.Keys;
using Npgsql;

namespace McpPlatform.Access.Api.Data;

/// <summary>Users: list, get, create, update (disable, plan, roles, name); every change audited with its actor, and published to the gateways.</summary>
internal sealed class UserStore(NpgsqlDataSource dataSource, AuditWriter audit, KeyInvalidation invalidation, TimeProvider time)
{
    private const string Columns = "id, email, display_name, roles, disabled, plan_id, created_at";

    public async Task<IReadOnlyList<UserRow>> ListAsync((DateTime At, Guid Id)? after, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return (await connection.QueryAsync<UserRow>(new CommandDefinition(
            $"SELECT {Columns} FROM users WHERE (@afterAt::timestamptz IS NULL OR (created_at, id) > (@afterAt, @afterId)) " +
            "ORDER BY created_at, id LIMIT @limit",
            new { afterAt = after?.At, afterId = after?.Id ?? Guid.Empty, limit }, cancellationToken: cancellationToken)).ConfigureAwait(false)).AsList();
    }

    public async Task<UserRow?> GetAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await connection.QuerySingleOrDefaultAsync<UserRow>(new CommandDefinition(
            $"SELECT {Columns} FROM users WHERE id = @id", new { id }, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    public async Task<StoreResult<UserRow>> CreateAsync(string email, string displayName, string[] roles, string planId, string actor, string ip, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var row = await connection.QuerySingleOrDefaultAsync<UserRow>(new CommandDefinition(
            $"""
            INSERT INTO users (id, email, display_name, roles, plan_id, created_at)
            SELECT @id, @email, @displayName, @roles, @planId, @now WHERE EXISTS (SELECT 1 FROM plans WHERE id = @planId)
            ON CONFLICT DO NOTHING
            RETURNING {Columns}
            """,
            new { id = Guid.CreateVersion7(), email, displayName, roles, planId, now = time.GetUtcNow().UtcDateTime }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        if (row is null)
        {
            var planExists = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
                "SELECT EXISTS (SELECT 1 FROM plans WHERE id = @planId)", new { planId }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            return planExists ? StoreOutcome.Conflict : StoreOutcome.UnknownPlan;
        }

        await audit.AppendAsync(connection, transaction, [Entry(actor, "user.create", row.Id, ip, Describe(row))], cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return StoreResult<UserRow>.Done(row);
    }

    /// <summary>Applies the fields that are set; publishes an invalidation when what a key may do changed.</summary>
    public async Task<StoreResult<UserRow>> UpdateAsync(Guid id, UserPatch patch, string actor, string ip, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        if (patch.PlanId is not null && !await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
                "SELECT EXISTS (SELECT 1 FROM plans WHERE id = @planId)", new { planId = patch.PlanId }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false))
        {
            return StoreOutcome.UnknownPlan;
        }

        var row = await connection.QuerySingleOrDefaultAsync<UserRow>(new CommandDefinition(
            $"""
            UPDATE users SET display_name = COALESCE(@displayName, display_name), roles = COALESCE(@roles, roles),
                             disabled = COALESCE(@disabled, disabled), plan_id = COALESCE(@planId, plan_id)
            WHERE id = @id
            RETURNING {Columns}
            """, new { id, patch.DisplayName, patch.Roles, patch.Disabled, patch.PlanId }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        if (row is null)
        {
            return StoreOutcome.NotFound;
        }

        var details = Describe(row);
        details["changed"] = new JsonArray(patch.ChangedFields().Select(f => (JsonNode)f).ToArray());
        await audit.AppendAsync(connection, transaction, [Entry(actor, "user.update", row.Id, ip, details)], cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        if (patch.Disabled is not null || patch.PlanId is not null || patch.Roles is not null)
        {
            await invalidation.UserAsync(patch.Disabled is true ? "user-disabled" : "user-changed", row.Id, cancellationToken).ConfigureAwait(false);
        }

        return StoreResult<UserRow>.Done(row);
    }

    private AuditEntry Entry(string actor, string action, Guid userId, string ip, JsonObject details) =>
        new(time.GetUtcNow().UtcDateTime, actor, action, "user:" + userId, ip, details);

    private static JsonObject Describe(UserRow row) => new()
    {
        ["email"] = row.Email,
        ["displayName"] = row.DisplayName,
        ["roles"] = new JsonArray(row.Roles.Select(r => (JsonNode)r).ToArray()),
        ["disabled"] = row.Disabled,
        ["planId"] = row.PlanId,
    };
}
