using System.Text.Json.Nodes;
using Dapper;
using McpPlatform.Access.Api.Audit;
using McpPlatform.Access.Api.Keys;
using McpPlatform.Access.Api.Options;
using McpPlatform.Contracts.Keys;
using Microsoft.Extensions.Options;
using Npgsql;

namespace McpPlatform.Access.Api.Bootstrap;

/// <summary>
/// Makes sure the development admin (Bootstrap:AdminEmail, role admin, plan "pro") owns the key Bootstrap:ApiKey, so
/// the key AppHost prints works. Idempotent: an existing user or key is left as it is; only what is created is audited.
/// </summary>
internal sealed partial class BootstrapAdmin(
    NpgsqlDataSource dataSource,
    KeyStore keys,
    KeyHasher hasher,
    AuditWriter audit,
    IOptions<BootstrapOptions> options,
    TimeProvider time,
    ILogger<BootstrapAdmin> logger)
{
    // "BOOTSTRAP" would not fit in a long; any constant shared by every replica.
    private const long LockId = 0x424F4F54;

    public async Task EnsureAsync(CancellationToken cancellationToken)
    {
        var (email, key) = (options.Value.AdminEmail?.Trim(), options.Value.ApiKey?.Trim());
        if (string.IsNullOrEmpty(email) && string.IsNullOrEmpty(key))
        {
            return;
        }

        if (string.IsNullOrEmpty(email) || !email.Contains('@', StringComparison.Ordinal))
        {
            throw new BootstrapException("Bootstrap:ApiKey is set but Bootstrap:AdminEmail is not an email address; set both or neither.");
        }

        if (!string.IsNullOrEmpty(key))
        {
            if (!ApiKeyFormat.TryParse(key, out var environment))
            {
                throw new BootstrapException("Bootstrap:ApiKey is not a valid key (sk_live_/sk_test_, 43 base62 characters, checksum).");
            }

            if (environment != hasher.Environment)
            {
                LogWrongEnvironment(logger, hasher.EnvironmentName);
            }
        }

        var now = time.GetUtcNow().UtcDateTime;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        // Replicas starting together with the same settings would race on the same email and key: one at a time.
        await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_xact_lock(@LockId)", new { LockId }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        var entries = new List<AuditEntry>();
        var userId = await connection.QuerySingleOrDefaultAsync<Guid?>(new CommandDefinition(
            "SELECT id FROM users WHERE lower(email) = lower(@email)", new { email }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        if (userId is null)
        {
            userId = Guid.CreateVersion7();
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO users (id, email, display_name, roles, plan_id, created_at) VALUES (@id, @email, 'Administrator', '{admin}', 'pro', @now) ON CONFLICT DO NOTHING",
                new { id = userId, email, now }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            entries.Add(new AuditEntry(now, "system", "user.create", "user:" + userId, "", new JsonObject { ["email"] = email, ["roles"] = "admin", ["bootstrap"] = true }));
        }

        if (!string.IsNullOrEmpty(key))
        {
            var exists = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
                "SELECT EXISTS (SELECT 1 FROM api_keys WHERE hash = @hash)", new { hash = hasher.Hash(key) }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            if (!exists)
            {
                // The development key never expires, whatever the plan says.
                var created = await keys.InsertAsync(connection, transaction, userId.Value, new NewKey("bootstrap", [], null, DateTime.MaxValue), key, cancellationToken).ConfigureAwait(false);
                entries.Add(new AuditEntry(now, "system", "key.create", "key:" + created.Key.Id, "", new JsonObject { ["userId"] = userId.ToString(), ["name"] = "bootstrap", ["prefix"] = created.Key.DisplayPrefix }));
            }
        }

        await audit.AppendAsync(connection, transaction, entries, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(1, LogLevel.Warning, "Bootstrap:ApiKey is not a {Environment} key, which this deployment accepts (Access:Environment): it is stored but will be rejected")]
    private static partial void LogWrongEnvironment(ILogger logger, string environment);
}
