namespace McpPlatform.Access.Api.Keys;

/// <summary>What a key is created with; ExpiresAt null: the plan's key_expiry_days, DateTime.MaxValue: never.</summary>
internal sealed record NewKey(string Name, IReadOnlyList<KeyScope> Scopes, PlanOverrides? Overrides, DateTime? ExpiresAt);

/// <summary>A key just created: its row, and the secret, shown this once.</summary>
internal sealed record CreatedKey(KeyRow Key, string Secret);
