using System.Globalization;

namespace McpPlatform.Worker.Host.Tests.Infrastructure;

/// <summary>The server processes a worker started, found in /proc by parent and command line (for the orphan checks).</summary>
internal static class ServerProcesses
{
    public static IReadOnlyList<int> Children(int parent, string commandPart)
    {
        var found = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (fields[0] != "Z" && fields[1] == parent.ToString(CultureInfo.InvariantCulture) &&
                    File.ReadAllText(Path.Combine(dir, "cmdline")).Contains(commandPart, StringComparison.Ordinal))
                {
                    found.Add(pid);
                }
            }
            catch (IOException)
            {
                // The process ended while we looked.
            }
        }

        return found;
    }
}
