using System.Text.Json.Nodes;
using Dapper;
using McpPlatform.Access.Api.Audit;
using McpPlatform.Access.Api.Options;
using McpPlatform.Contracts.Keys;
using Microsoft.Extensions.Options;
using Npgsql;

namespace McpPlatform.Access.Api.Keys;

/// <summary>Creates, lists, revokes and rotates keys; every change is audited in its own transaction and published to the gateways.</summary>
internal sealed class KeyStore(
    NpgsqlDataSource dataSource,
    KeyHasher hasher,
    AuditWriter audit,
    KeyInvalidation invalidation,
    IOptions<AccessOptions> options,
    TimeProvider time)
{
    private const string Columns =
        "id, user_id, name, display_prefix, environment, scopes::text AS scopes, plan_overrides::text AS plan_overrides, " +
        "created_at, expires_at, revoked_at, replaced_by, grace_ends_at, last_used_at";

    /// <summary>A user's keys, newest first, after <paramref name="after"/> (a keyset position) when given.</summary>
    public async Task<IReadOnlyList<KeyRow>> ListAsync(Guid userId, (DateTime At, Guid Id)? after, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<KeyRow>(new CommandDefinition(
            $"SELECT {Columns} FROM api_keys WHERE user_id = @userId " +
            "AND (@afterAt::timestamptz IS NULL OR (created_at, id) < (@afterAt, @afterId)) " +
            "ORDER BY created_at DESC, id DESC LIMIT @limit",
            new { userId, afterAt = after?.At, afterId = after?.Id ?? Guid.Empty, limit }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.AsList();
    }

    public async Task<KeyRow?> GetAsync(Guid keyId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await connection.QuerySingleOrDefaultAsync<KeyRow>(new CommandDefinition(
            $"SELECT {Columns} FROM api_keys WHERE id = @keyId", new { keyId }, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>Creates a key for <paramref name="userId"/>; the plan's key_expiry_days applies when no expiry is given.</summary>
    public async Task<CreatedKey> CreateAsync(Guid userId, NewKey key, string actor, string ip, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var created = await InsertAsync(connection, transaction, userId, key, hasher.NewKey(), cancellationToken).ConfigureAwait(false);
        await audit.AppendAsync(connection, transaction, [Entry(actor, "key.create", created.Key, ip)], cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return created;
    }

    /// <summary>Stores <paramref name="secret"/> as a key of <paramref name="userId"/> (the caller's transaction).</summary>
    public async Task<CreatedKey> InsertAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid userId, NewKey key, string secret, CancellationToken cancellationToken)
    {
        var row = await connection.QuerySingleAsync<KeyRow>(new CommandDefinition(
            $"""
            INSERT INTO api_keys (id, user_id, name, display_prefix, environment, hash, scopes, plan_overrides, created_at, expires_at)
            SELECT @id, @userId, @name, @prefix, @environment, @hash, @scopes::jsonb, @overrides::jsonb, @now,
                   CASE WHEN @never THEN NULL ELSE COALESCE(@expiresAt, @now + make_interval(days => p.key_expiry_days)) END
            FROM users u JOIN plans p ON p.id = u.plan_id WHERE u.id = @userId
            RETURNING {Columns}
            """,
            new
            {
                id = Guid.CreateVersion7(),
                userId,
                name = key.Name,
                prefix = ApiKeyFormat.DisplayPrefix(secret),
                environment = secret.StartsWith("sk_live_", StringComparison.Ordinal) ? "live" : "test",
                hash = hasher.Hash(secret),
                scopes = JsonColumns.Write(key.Scopes),
                overrides = JsonColumns.Write(key.Overrides ?? new PlanOverrides()),
                now = time.GetUtcNow().UtcDateTime,
                expiresAt = key.ExpiresAt == DateTime.MaxValue ? null : key.ExpiresAt,
                never = key.ExpiresAt == DateTime.MaxValue,
            }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return new CreatedKey(row, secret);
    }

    /// <summary>Revokes a key now; false when it does not exist (or is not <paramref name="ownerId"/>'s when given).</summary>
    public async Task<KeyRow?> RevokeAsync(Guid keyId, Guid? ownerId, string actor, string ip, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var row = await connection.QuerySingleOrDefaultAsync<KeyRow>(new CommandDefinition(
            $"""
            UPDATE api_keys SET revoked_at = COALESCE(revoked_at, @now)
            WHERE id = @keyId AND (@ownerId::uuid IS NULL OR user_id = @ownerId)
            RETURNING {Columns}
            """, new { keyId, ownerId, now = time.GetUtcNow().UtcDateTime }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        if (row is null)
        {
            return null;
        }

        await audit.AppendAsync(connection, transaction, [Entry(actor, "key.revoke", row, ip)], cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        await invalidation.KeyAsync("key-revoked", row.Id, row.UserId, cancellationToken).ConfigureAwait(false);
        return row;
    }

    /// <summary>
    /// Issues a replacement with the same name, scopes and overrides; the old key keeps working until the grace period
    /// ends (Access:RotationGracePeriod unless <paramref name="grace"/> is given). Null when the key does not exist, is
    /// not the owner's, or is already revoked or rotated.
    /// </summary>
    public async Task<CreatedKey?> RotateAsync(Guid keyId, Guid? ownerId, TimeSpan? grace, string actor, string ip, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var old = await connection.QuerySingleOrDefaultAsync<KeyRow>(new CommandDefinition(
            $"SELECT {Columns} FROM api_keys WHERE id = @keyId AND (@ownerId::uuid IS NULL OR user_id = @ownerId) " +
            "AND revoked_at IS NULL AND replaced_by IS NULL FOR UPDATE",
            new { keyId, ownerId }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        if (old is null)
        {
            return null;
        }

        var now = time.GetUtcNow().UtcDateTime;
        var replacement = await InsertAsync(connection, transaction, old.UserId,
            new NewKey(old.Name, JsonColumns.Scopes(old.Scopes), JsonColumns.Read<PlanOverrides>(old.PlanOverrides), null),
            hasher.NewKey(), cancellationToken).ConfigureAwait(false);
        var graceEnd = now + (grace ?? options.Value.RotationGracePeriod);
        var rotated = await connection.QuerySingleAsync<KeyRow>(new CommandDefinition(
            $"UPDATE api_keys SET replaced_by = @newId, grace_ends_at = @graceEnd WHERE id = @keyId RETURNING {Columns}",
            new { newId = replacement.Key.Id, graceEnd, keyId }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        var entry = Entry(actor, "key.rotate", rotated, ip);
        entry.Details!["replacedBy"] = replacement.Key.Id.ToString();
        entry.Details["graceEndsAt"] = graceEnd.ToString("O");
        await audit.AppendAsync(connection, transaction, [entry], cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        // Cached answers for the old key carry no end yet: make the gateways ask again.
        await invalidation.KeyAsync("key-rotated", old.Id, old.UserId, cancellationToken).ConfigureAwait(false);
        return replacement;
    }

    private AuditEntry Entry(string actor, string action, KeyRow key, string ip) =>
        new(time.GetUtcNow().UtcDateTime, actor, action, "key:" + key.Id, ip, new JsonObject
        {
            ["userId"] = key.UserId.ToString(),
            ["name"] = key.Name,
            ["prefix"] = key.DisplayPrefix,
        });
}
