using Npgsql;
using NpgsqlTypes;

namespace McpPlatform.Access.Api.Audit;

/// <summary>
/// Appends entries to the chain in the caller's transaction, a whole batch at once (one lock, one read of the head, one
/// INSERT however many rows). Appends are serialized across every replica by a transaction advisory lock (held until
/// commit), so each batch reads the true last hash and no two writers ever chain onto the same row.
/// </summary>
internal sealed class AuditWriter
{
    // "AUDIT" in ASCII; any constant shared by every replica.
    private const long ChainLockId = 0x4155444954;

    public async Task AppendAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<AuditEntry> entries, CancellationToken cancellationToken)
    {
        if (entries.Count == 0)
        {
            return;
        }

        // The lock and the read of the chain's head in one round trip (a batch runs its statements in order, so the
        // head is read under the lock). The hash covers details as PostgreSQL will return them (jsonb's normal form),
        // so they are normalised in the same trip.
        var details = new string[entries.Count];
        long seq = 0;
        var previous = AuditHash.Genesis;
        await using (var head = new NpgsqlBatch(connection, transaction))
        {
            var lockCommand = new NpgsqlBatchCommand("SELECT pg_advisory_xact_lock($1)");
            lockCommand.Parameters.Add(new NpgsqlParameter { Value = ChainLockId });
            var read = new NpgsqlBatchCommand(
                """
                SELECT (SELECT array_agg(d::jsonb::text ORDER BY n) FROM unnest($1::text[]) WITH ORDINALITY AS t(d, n)),
                       (SELECT seq FROM audit_log ORDER BY seq DESC LIMIT 1),
                       (SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1)
                """);
            read.Parameters.Add(new NpgsqlParameter { Value = entries.Select(e => e.DetailsJson).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            head.BatchCommands.Add(lockCommand);
            head.BatchCommands.Add(read);
            await using var reader = await head.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            reader.GetFieldValue<string[]>(0).CopyTo(details, 0);
            if (!reader.IsDBNull(1))
            {
                seq = reader.GetInt64(1);
                previous = reader.GetFieldValue<byte[]>(2);
            }
        }

        var seqs = new long[entries.Count];
        var times = new DateTime[entries.Count];
        var prevs = new byte[entries.Count][];
        var hashes = new byte[entries.Count][];
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i];
            seqs[i] = ++seq;
            times[i] = AuditHash.Truncate(entry.OccurredAt);
            prevs[i] = previous;
            hashes[i] = previous = AuditHash.Compute(previous, seqs[i], times[i], entry.Actor, entry.Action, entry.Target, entry.Ip, details[i]);
        }

        await using var insert = new NpgsqlCommand(
            """
            INSERT INTO audit_log (seq, occurred_at, actor, action, target, ip, details, prev_hash, hash)
            SELECT * FROM unnest(@seq, @at, @actor, @action, @target, @ip, @details::jsonb[], @prev, @hash)
            """, connection, transaction);
        insert.Parameters.Add(new NpgsqlParameter("seq", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = seqs });
        insert.Parameters.Add(new NpgsqlParameter("at", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { Value = times });
        insert.Parameters.Add(Text("actor", entries.Select(e => e.Actor)));
        insert.Parameters.Add(Text("action", entries.Select(e => e.Action)));
        insert.Parameters.Add(Text("target", entries.Select(e => e.Target)));
        insert.Parameters.Add(Text("ip", entries.Select(e => e.Ip)));
        insert.Parameters.Add(new NpgsqlParameter("details", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = details });
        insert.Parameters.Add(new NpgsqlParameter("prev", NpgsqlDbType.Array | NpgsqlDbType.Bytea) { Value = prevs });
        insert.Parameters.Add(new NpgsqlParameter("hash", NpgsqlDbType.Array | NpgsqlDbType.Bytea) { Value = hashes });
        await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static NpgsqlParameter Text(string name, IEnumerable<string> values) =>
        new(name, NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = values.ToArray() };
}
