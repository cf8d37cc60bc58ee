namespace McpPlatform.Gateway.Edge.Access.Policy;

/// <summary>
/// Scope and plan patterns, as Access.Api stores them: <c>*</c> matches any run of characters (also none), every
/// other character itself (ordinal). Linear backtracking to the last star: no regex, no recursion, no blow-up.
/// </summary>
internal static class ScopeGlob
{
    public static bool IsMatch(string pattern, string value)
    {
        int p = 0, v = 0, star = -1, resume = 0;
        while (v < value.Length)
        {
            if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                resume = v;
            }
            else if (p < pattern.Length && pattern[p] == value[v])
            {
                p++;
                v++;
            }
            else if (star >= 0)
            {
                p = star + 1;
                v = ++resume;
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

    /// <summary>Whether the plan lets <paramref name="caller"/> use <paramref name="server"/> (empty list: every server).</summary>
    public static bool PlanAllows(Caller caller, string server) =>
        caller.Plan.AllowedServers.Count == 0 || caller.Plan.AllowedServers.Any(pattern => IsMatch(pattern, server));

    /// <summary>Whether a scope grants <paramref name="server"/> at all (no scopes: everything the plan allows).</summary>
    public static bool ScopesAllowServer(Caller caller, string server) =>
        caller.Scopes.Count == 0 || caller.Scopes.Any(scope => IsMatch(scope.Server, server));

    /// <summary>Whether a scope grants <paramref name="tool"/> of <paramref name="server"/>.</summary>
    public static bool ScopesAllowTool(Caller caller, string server, string tool) =>
        caller.Scopes.Count == 0 || caller.Scopes.Any(scope => IsMatch(scope.Server, server) && IsMatch(scope.Tool, tool));
}
