namespace McpPlatform.Gateway.Edge.Access;

/// <summary>
/// Where the MCP layer hands metered calls. Implementations buffer durably (never lose an event while Access.Api or
/// PostgreSQL is down) and never count one twice; <see cref="Record"/> must not block the request path.
/// </summary>
public interface IUsageSink
{
    /// <summary>Records one call; returns at once.</summary>
    void Record(UsageRecord usage);
}
