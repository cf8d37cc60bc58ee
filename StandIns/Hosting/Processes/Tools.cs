namespace McpPlatform.Hosting.Processes;

/// <summary>Finds programs on PATH.</summary>
public static class Tools
{
    private static readonly Lazy<string?> SetSidPath = new(() => Find("setsid"));
    private static readonly Lazy<string?> SetPrivPath = new(() => Find("setpriv"));

    internal static string? SetSid => SetSidPath.Value;

    internal static string? SetPriv => SetPrivPath.Value;

    /// <summary>The full path of <paramref name="program"/> on PATH (or in <paramref name="extraDirectories"/>), or null.</summary>
    public static string? Find(string program, params string[] extraDirectories)
    {
        if (Path.IsPathRooted(program))
        {
            return File.Exists(program) ? program : null;
        }
        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        foreach (var directory in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).Concat(extraDirectories))
        {
            var candidate = Path.Combine(directory, program);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        return null;
    }
}
