using Npgsql;

namespace McpPlatform.Access.Api.Audit;

/// <summary>Appends entries in a transaction of their own (for actions that have no other write to join).</summary>
internal sealed class AuditLog(NpgsqlDataSource dataSource, AuditWriter writer)
{
    public async Task AppendAsync(IReadOnlyList<AuditEntry> entries, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await writer.AppendAsync(connection, transaction, entries, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken) => AppendAsync([entry], cancellationToken);
}
