using System.Globalization;

namespace McpPlatform.TestSupport;

/// <summary>What /proc says about processes: alive, and which session they belong to.</summary>
public static class ProcessTable
{
    /// <summary>Processes that still exist (zombies included) among <paramref name="pids"/> or in their sessions.</summary>
    public static IReadOnlyList<string> Survivors(IReadOnlyCollection<int> pids)
    {
        var survivors = new List<string>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }
            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(dir, "stat"));
            }
            catch (IOException)
            {
                continue; // exited while we looked
            }
            // pid (comm) state ppid pgrp session …; comm may contain spaces, so split after the last ')'.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var session = int.Parse(fields[3], CultureInfo.InvariantCulture);
            if (pids.Contains(pid) || pids.Contains(session))
            {
                survivors.Add($"{pid} ({stat[..(stat.LastIndexOf(')') + 1)]}, state {fields[0]}, session {session})");
            }
        }
        return survivors;
    }
}
