namespace McpPlatform.Processes;

/// <summary>Finds programs the way a shell does, on PATH.</summary>
public static class ExecutableSearch
{
    /// <summary>The full path of <paramref name="program"/> (a name on PATH, or a path that exists), or null.</summary>
    public static string? Find(string program)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(program);
        if (program.Contains('/', StringComparison.Ordinal))
        {
            return File.Exists(program) ? Path.GetFullPath(program) : null;
        }
        var path = Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/bin:/usr/bin:/bin";
        foreach (var directory in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
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
