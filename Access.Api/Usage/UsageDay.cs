namespace McpPlatform.Access.Api.Usage;

/// <summary>One day's usage of one server and tool (tool empty for methods other than tools/call), by one user for admins.</summary>
internal sealed record UsageDay
{
    public required string Day { get; init; }

    public string? UserId { get; init; }

    public required string Server { get; init; }

    public required string Tool { get; init; }

    public long Calls { get; init; }

    public long Errors { get; init; }

    public double TotalDurationMs { get; init; }

    public long RequestBytes { get; init; }

    public long ResponseBytes { get; init; }
}
