using Npgsql;

namespace McpPlatform.Access.Api.Audit;

/// <summary>
/// Walks audit_log in seq order and recomputes every hash: an edited row no longer matches its hash, a deleted row
/// leaves a gap in seq and a prev_hash that points at nothing, an inserted row breaks the next row's prev_hash.
/// Rows are streamed, so the log's size does not matter. (Removing rows from the very end and recomputing, or
/// appending rows with valid hashes, needs someone who can write the table and compute SHA-256: anchor the head hash
/// elsewhere to catch that.)
/// </summary>
internal static class AuditVerifier
{
    public static async Task<AuditVerification> VerifyAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "SELECT seq, occurred_at, actor, action, target, ip, details::text, prev_hash, hash FROM audit_log ORDER BY seq", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var previous = AuditHash.Genesis;
        long expected = 1, rows = 0;
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var seq = reader.GetInt64(0);
            var prevHash = reader.GetFieldValue<byte[]>(7);
            var hash = reader.GetFieldValue<byte[]>(8);
            if (seq != expected)
            {
                return Broken(rows, seq, seq > expected
                    ? $"expected seq {expected}: {seq - expected} row(s) before it were deleted"
                    : $"expected seq {expected}: a row was inserted or renumbered");
            }

            if (!prevHash.AsSpan().SequenceEqual(previous))
            {
                return Broken(rows, seq, seq == 1
                    ? "prev_hash of the first row is not the genesis (zero) hash"
                    : $"prev_hash does not match the hash of seq {seq - 1}: a row was inserted, deleted or replaced before it");
            }

            var recomputed = AuditHash.Compute(prevHash, seq, reader.GetDateTime(1), reader.GetString(2), reader.GetString(3),
                reader.GetString(4), reader.GetString(5), reader.GetString(6));
            if (!recomputed.AsSpan().SequenceEqual(hash))
            {
                return Broken(rows, seq, "its content does not match its hash: the row was edited");
            }

            previous = hash;
            expected++;
            rows++;
        }

        return new AuditVerification(true, rows, null, null);
    }

    private static AuditVerification Broken(long rows, long seq, string reason) => new(false, rows, seq, reason);
}
