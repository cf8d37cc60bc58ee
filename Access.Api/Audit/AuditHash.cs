using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace McpPlatform.Access.Api.Audit;

/// <summary>
/// The chain's hash: SHA-256 over the previous row's hash followed by the UTF-8 canonical content, a JSON array
/// <c>[seq, "occurred_at", actor, action, target, ip, details]</c> where occurred_at is UTC with microseconds
/// ("2026-11-22T03:04:05.123456Z") and details is the jsonb text PostgreSQL returns (its normal form).
/// The first row's previous hash is 32 zero bytes.
/// </summary>
internal static class AuditHash
{
    public static readonly byte[] Genesis = new byte[32];

    public static byte[] Compute(byte[] previous, long seq, DateTime occurredAt, string actor, string action, string target, string ip, string details)
    {
        var buffer = new MemoryStream();
        buffer.Write(previous);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            writer.WriteNumberValue(seq);
            writer.WriteStringValue(Timestamp(occurredAt));
            writer.WriteStringValue(actor);
            writer.WriteStringValue(action);
            writer.WriteStringValue(target);
            writer.WriteStringValue(ip);
            writer.WriteStringValue(details);
            writer.WriteEndArray();
        }

        return SHA256.HashData(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
    }

    /// <summary>PostgreSQL keeps microseconds: a time is truncated to them before it is hashed and stored.</summary>
    public static DateTime Truncate(DateTime time) =>
        new(time.ToUniversalTime().Ticks - time.ToUniversalTime().Ticks % 10, DateTimeKind.Utc);

    private static string Timestamp(DateTime time) =>
        Truncate(time).ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
}
