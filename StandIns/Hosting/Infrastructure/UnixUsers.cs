using System.Diagnostics;

namespace McpPlatform.Hosting.Infrastructure;

/// <summary>Unprivileged users for servers that refuse to run as root (PostgreSQL).</summary>
internal static class UnixUsers
{
    /// <summary>The first of <paramref name="candidates"/> that exists in /etc/passwd, or null.</summary>
    public static string? FirstExisting(params string[] candidates)
    {
        var names = File.Exists("/etc/passwd")
            ? File.ReadLines("/etc/passwd").Select(line => line.Split(':')[0]).ToHashSet(StringComparer.Ordinal)
            : [];
        return candidates.FirstOrDefault(names.Contains);
    }

    /// <summary>Gives <paramref name="path"/> (recursively) to <paramref name="user"/>.</summary>
    public static void Chown(string path, string user)
    {
        using var process = Process.Start(new ProcessStartInfo("chown", ["-R", $"{user}:", path])
        {
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException("chown could not be started.");
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new DistributedApplicationException($"chown {user} {path} failed: {process.StandardError.ReadToEnd().Trim()}");
        }
    }

    /// <summary>Makes each directory from <paramref name="path"/> up to <paramref name="stopAt"/> (inclusive) traversable by others.</summary>
    public static void AllowTraversal(string path, string stopAt)
    {
        for (var dir = new DirectoryInfo(path); dir is not null && dir.FullName.Length >= stopAt.Length; dir = dir.Parent)
        {
            if (dir.Exists)
            {
                dir.UnixFileMode |= UnixFileMode.OtherExecute | UnixFileMode.GroupExecute;
            }
        }
    }
}
