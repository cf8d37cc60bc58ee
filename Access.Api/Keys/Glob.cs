namespace McpPlatform.Access.Api.Keys;

/// <summary>Scope patterns: "*" matches any run of characters (also none); everything else matches itself, ordinally.</summary>
internal static class Glob
{
    public static bool IsMatch(string pattern, string value)
    {
        // Iterative wildcard matching with backtracking to the last star: linear in practice, no regex, no recursion.
        int p = 0, v = 0, star = -1, mark = 0;
        while (v < value.Length)
        {
            if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                mark = v;
            }
            else if (p < pattern.Length && pattern[p] == value[v])
            {
                p++;
                v++;
            }
            else if (star >= 0)
            {
                p = star + 1;
                v = ++mark;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length;
    }

    public static bool AnyMatch(IEnumerable<string> patterns, string value) => patterns.Any(pattern => IsMatch(pattern, value));
}
