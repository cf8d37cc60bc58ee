using McpPlatform.Contracts.Dispatch.V1;
using McpPlatform.Gateway.Edge.Access;

namespace McpPlatform.Gateway.Edge.Mcp.Transport;

/// <summary>A POST that passed the header, authentication and catalog checks, before its body is interpreted.</summary>
/// <param name="Http">The request.</param>
/// <param name="Caller">The authenticated caller.</param>
/// <param name="Server">The catalog entry of <c>{server}</c>.</param>
/// <param name="VersionHeader">The <c>MCP-Protocol-Version</c> header when present (already checked to be supported).</param>
/// <param name="StartedAt">Timestamp of arrival (durations, usage).</param>
internal sealed record IncomingCall(HttpContext Http, Caller Caller, CatalogServer Server, string? VersionHeader, long StartedAt);
