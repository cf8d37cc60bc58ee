using System.Text.RegularExpressions;
using McpPlatform.Access.Api.Keys;

namespace McpPlatform.Access.Api.Apis;

/// <summary>
/// What REST inputs may look like. Values are always bound as SQL parameters (never concatenated), so these rules are
/// about sane data (lengths, no control characters), not about escaping.
/// </summary>
internal static partial class InputRules
{
    public const int MaxScopes = 50;

    public static void Text(Dictionary<string, string[]> errors, string field, string? value, int max, bool required = true)
    {
        if (value is null || value.Length == 0)
        {
            if (required)
            {
                errors[field] = [$"{field} is required."];
            }
        }
        else if (value.Length > max || value.Any(char.IsControl))
        {
            errors[field] = [$"{field} must be at most {max} characters without control characters."];
        }
    }

    public static void Email(Dictionary<string, string[]> errors, string? value)
    {
        Text(errors, "email", value, 254);
        if (!errors.ContainsKey("email") && !EmailShape().IsMatch(value!))
        {
            errors["email"] = ["email must look like name@domain."];
        }
    }

    public static void Identifier(Dictionary<string, string[]> errors, string field, string? value)
    {
        if (value is null || !IdentifierShape().IsMatch(value))
        {
            errors[field] = [$"{field} must be 1 to 50 lowercase letters, digits, '-' or '_'."];
        }
    }

    public static void Scopes(Dictionary<string, string[]> errors, IReadOnlyList<KeyScope>? scopes)
    {
        if (scopes is null)
        {
            return;
        }

        if (scopes.Count > MaxScopes)
        {
            errors["scopes"] = [$"At most {MaxScopes} scopes."];
            return;
        }

        foreach (var scope in scopes)
        {
            Text(errors, "scopes.server", scope?.Server, 200);
            Text(errors, "scopes.tool", scope?.Tool, 200);
        }
    }

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+$")]
    private static partial Regex EmailShape();

    [GeneratedRegex("^[a-z0-9_-]{1,50}$")]
    private static partial Regex IdentifierShape();
}
