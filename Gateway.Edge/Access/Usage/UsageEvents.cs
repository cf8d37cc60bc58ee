using Google.Protobuf.WellKnownTypes;
using McpPlatform.Contracts.Access.V1;

namespace McpPlatform.Gateway.Edge.Access.Usage;

/// <summary>
/// Turns what the MCP layer saw into Access.Api's usage event (no caller object is kept past this). The event id is
/// chosen here, once (a time-ordered UUID), so every retry downstream (an XADD after a dropped connection, a
/// RecordUsage whose answer was lost) carries the same id and Access.Api stores the event once.
/// </summary>
internal static class UsageEvents
{
    public static UsageEvent From(UsageRecord record, string gatewayId) => new()
    {
        EventId = Guid.CreateVersion7(record.OccurredAt).ToString("N"),
        OccurredAt = Timestamp.FromDateTimeOffset(record.OccurredAt),
        UserId = Clean(record.Caller.PrincipalId),
        TenantId = Clean(record.Caller.TenantId),
        KeyId = Clean(record.Caller.KeyId),
        Server = Clean(record.Server),
        Method = Clean(record.Method),
        Tool = Clean(record.Tool),
        SessionId = Clean(record.SessionId),
        Duration = Duration.FromTimeSpan(record.Duration < TimeSpan.Zero ? TimeSpan.Zero : record.Duration),
        Status = Clean(record.Status),
        RequestBytes = Math.Max(0, record.RequestBytes),
        ResponseBytes = Math.Max(0, record.ResponseBytes),
        GatewayId = gatewayId,
    };

    // Tool names and session ids come from clients: PostgreSQL text refuses NUL, and nothing needs more than 256
    // characters, so an odd value can never make a batch fail forever.
    private static string Clean(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return string.Empty;
        }

        var text = value.Length > 256 ? value[..256] : value;
        return text.Contains('\0', StringComparison.Ordinal) ? text.Replace("\0", string.Empty, StringComparison.Ordinal) : text;
    }
}
