namespace McpPlatform.Access.Api.Data;

/// <summary>A row of users (also the REST shape of a user).</summary>
internal sealed record UserRow
{
    public Guid Id { get; init; }

    public required string Email { get; init; }

    public required string DisplayName { get; init; }

    public string[] Roles { get; init; } = [];

    public bool Disabled { get; init; }

    public required string PlanId { get; init; }

    public DateTime CreatedAt { get; init; }
}
