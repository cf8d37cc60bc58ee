namespace McpPlatform.Worker.Host.Catalog;

/// <summary>
/// Whether an <see cref="ServerDefinition.Optional"/> server can run on this machine: its command is found (on PATH
/// unless it holds a '/') and its script, the first argument when that is an absolute path, exists. The default
/// catalog's npm servers are optional, so a machine without Node.js, or whose npm cache was never filled, runs the
/// rest of the catalog and says in one log line what is missing.
/// </summary>
internal static class ServerAvailability
{
    /// <summary>Null when the server can run; otherwise what is missing, in words for the log.</summary>
    public static string? Missing(ServerDefinition definition, CatalogPaths paths)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(paths);
        var command = paths.Expand(definition.Command);
        if (!CommandExists(command))
        {
            return $"command '{command}' is not found{(command.Contains('/', StringComparison.Ordinal) ? "" : " on PATH")}";
        }

        if (definition.Args.Count > 0 && paths.Expand(definition.Args[0]) is var script
            && !script.Contains('{', StringComparison.Ordinal) && Path.IsPathRooted(script) && !File.Exists(script))
        {
            return $"'{script}' does not exist";
        }

        return null;
    }

    private static bool CommandExists(string command)
    {
        if (command.Contains('/', StringComparison.Ordinal))
        {
            return File.Exists(command);
        }

        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        return path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).Any(dir => File.Exists(Path.Combine(dir, command)));
    }
}
