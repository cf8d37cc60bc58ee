using System.Diagnostics;
using McpPlatform.Processes;

namespace McpPlatform.Worker.Host.Processes;

/// <summary>
/// The start info of a catalog server: the command resolved (on PATH unless it names a path),
/// stdio redirected, exactly the given environment (nothing inherited from the host), and run in its
/// own process group with a parent-death signal (<see cref="ProcessGroups"/>).
/// </summary>
internal static class StdioCommand
{
    public static ProcessStartInfo Describe(string command, IEnumerable<string> args, string workingDirectory, IReadOnlyDictionary<string, string> environment)
    {
        var resolved = ExecutableSearch.Find(command) ?? throw new FileNotFoundException(
            command.Contains('/', StringComparison.Ordinal)
                ? $"The command '{command}' does not exist."
                : $"The command '{command}' was not found on PATH; install it or give an absolute path in the catalog.");

        var info = new ProcessStartInfo
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        info.Environment.Clear();
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }
        ProcessGroups.Apply(info, resolved, args);
        return info;
    }
}
