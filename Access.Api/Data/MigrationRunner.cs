using Dapper;
using Npgsql;

namespace McpPlatform.Access.Api.Data;

/// <summary>
/// Applies versioned migrations in name order, each in its own transaction, under a session advisory lock so that
/// replicas starting together apply each once. Applied migrations are recorded in schema_migrations with their
/// checksum; an applied migration whose file has changed stops the service rather than running on an unknown schema.
/// </summary>
internal sealed class MigrationRunner(NpgsqlDataSource dataSource)
{
    // Any constant shared by every replica; "ACCESS" in ASCII.
    private const long LockId = 0x414343455353;

    /// <summary>Applies what is missing; returns the names of the migrations applied now.</summary>
    /// <exception cref="MigrationException">A migration failed, or an applied one was edited.</exception>
    public async Task<IReadOnlyList<string>> ApplyAsync(IReadOnlyList<Migration> migrations, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_lock(@LockId)", new { LockId }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        try
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    name       text PRIMARY KEY,
                    checksum   text NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now())
                """, cancellationToken: cancellationToken)).ConfigureAwait(false);
            var applied = (await connection.QueryAsync<(string Name, string Checksum)>(new CommandDefinition(
                "SELECT name, checksum FROM schema_migrations", cancellationToken: cancellationToken)).ConfigureAwait(false))
                .ToDictionary(row => row.Name, row => row.Checksum, StringComparer.Ordinal);

            foreach (var (name, checksum) in applied)
            {
                if (migrations.FirstOrDefault(m => m.Name == name) is { } migration && migration.Checksum != checksum)
                {
                    throw new MigrationException(
                        $"Migration {name} was edited after it was applied (checksum {checksum[..12]}… in schema_migrations, " +
                        $"{migration.Checksum[..12]}… in this build). Restore the original file and add a new migration instead.");
                }
            }

            var now = new List<string>();
            foreach (var migration in migrations.Where(m => !applied.ContainsKey(m.Name)))
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    await connection.ExecuteAsync(new CommandDefinition(migration.Sql, transaction: transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
                    await connection.ExecuteAsync(new CommandDefinition(
                        "INSERT INTO schema_migrations (name, checksum) VALUES (@Name, @Checksum)",
                        new { migration.Name, migration.Checksum }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
                    await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (PostgresException exception)
                {
                    throw new MigrationException(
                        $"Migration {migration.Name} failed and was rolled back: {exception.SqlState} {exception.MessageText}" +
                        (exception.Position > 0 ? $" (at character {exception.Position})" : "") +
                        ". Fix the migration (or the database) and start again.", exception);
                }

                now.Add(migration.Name);
            }

            return now;
        }
        finally
        {
            try
            {
                await connection.ExecuteAsync("SELECT pg_advisory_unlock(@LockId)", new { LockId }).ConfigureAwait(false);
            }
            catch (NpgsqlException)
            {
                // The connection is gone, and its session lock with it.
            }
        }
    }
}
