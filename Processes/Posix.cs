using System.Runtime.InteropServices;

namespace McpPlatform.Processes;

/// <summary>The few POSIX calls .NET does not expose: signals to processes and process groups, the effective user.</summary>
public static partial class Posix
{
    /// <summary>Interrupt (PostgreSQL's fast shutdown).</summary>
    public const int SIGINT = 2;

    /// <summary>Kill, which cannot be caught.</summary>
    public const int SIGKILL = 9;

    /// <summary>Terminate: the polite stop.</summary>
    public const int SIGTERM = 15;

    private const int ESRCH = 3;

    /// <summary>Sends <paramref name="signal"/> to every process in the group led by <paramref name="processGroup"/>.</summary>
    /// <returns>False when the group no longer exists.</returns>
    public static bool SignalGroup(int processGroup, int signal) =>
        kill(-processGroup, signal) == 0 || Marshal.GetLastPInvokeError() != ESRCH;

    /// <summary>Sends <paramref name="signal"/> to one process; false when it no longer exists.</summary>
    public static bool Signal(int pid, int signal) =>
        kill(pid, signal) == 0 || Marshal.GetLastPInvokeError() != ESRCH;

    /// <summary>True when this process runs as root.</summary>
    public static bool IsRoot => geteuid() == 0;

    [LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int sig);

    [LibraryImport("libc")]
    private static partial uint geteuid();
}
