namespace McpPlatform.Access.Api.Data;

/// <summary>PATCH /admin/users/{id}: the fields to change (null: unchanged).</summary>
internal sealed record UserPatch(string? DisplayName, string[]? Roles, bool? Disabled, string? PlanId)
{
    public IEnumerable<string> ChangedFields()
    {
        if (DisplayName is not null)
        {
            yield return "displayName";
        }

        if (Roles is not null)
        {
            yield return "roles";
        }

        if (Disabled is not null)
        {
            yield return "disabled";
        }

        if (PlanId is not null)
        {
            yield return "planId";
        }
    }
}
