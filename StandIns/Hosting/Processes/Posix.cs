using System.Runtime.InteropServices;

namespace McpPlatform.Hosting.Processes;

/// <summary>The few POSIX calls .NET does not expose: signals to process groups and the effective user.</summary>
internal static partial class Posix
{
    public const int SIGINT = 2;
    public const int SIGKILL = 9;
    public const int SIGTERM = 15;

    private const int ESRCH = 3;

    /// <summary>Sends <paramref name="signal"/> to every process in the group led by <paramref name="processGroup"/>.</summary>
    /// <returns>False when the group no longer exists.</returns>
    public static bool SignalGroup(int processGroup, int signal) =>
        kill(-processGroup, signal) == 0 || Marshal.GetLastPInvokeError() != ESRCH;

    /// <summary>Sends <paramref name="signal"/> to one process.</summary>
    public static bool Signal(int pid, int signal) =>
        kill(pid, signal) == 0 || Marshal.GetLastPInvokeError() != ESRCH;

    public static bool IsRoot => geteuid() == 0;

    [LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int sig);

    [LibraryImport("libc")]
    private static partial uint geteuid();
}
