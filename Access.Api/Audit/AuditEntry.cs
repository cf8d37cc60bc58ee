using System.Text.Json.Nodes;

namespace McpPlatform.Access.Api.Audit;

/// <summary>
/// One audit record before it is chained: who (<paramref name="Actor"/>: "user:{id}", "key:{id}", "system"), did what
/// (<paramref name="Action"/>: "key.create", "tool.call", ...), to what, from where, with details (never a secret).
/// </summary>
internal sealed record AuditEntry(DateTime OccurredAt, string Actor, string Action, string Target, string Ip, JsonObject? Details = null)
{
    public string DetailsJson => (Details ?? []).ToJsonString();
}
