using System.Runtime.InteropServices;

namespace McpPlatform.Processes;

/// <summary>The few POSIX calls .NET does not expose: signals to processes and process groups, the effective user, unread pipe bytes.</summary>
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

    /// <summary>
    /// Bytes written to a pipe that its reader has not read (FIONREAD; on Linux it answers on the write end too, and
    /// keeps answering after the reader died); null when the descriptor cannot tell.
    /// </summary>
    public static int? UnreadBytes(SafeHandle pipe)
    {
        ArgumentNullException.ThrowIfNull(pipe);
        if (!OperatingSystem.IsLinux() || pipe.IsInvalid || pipe.IsClosed)
        {
            return null;
        }

        var added = false;
        try
        {
            pipe.DangerousAddRef(ref added);
            return ioctl((int)pipe.DangerousGetHandle(), FIONREAD, out var count) == 0 ? count : null;
        }
        finally
        {
            if (added)
            {
                pipe.DangerousRelease();
            }
        }
    }

    private const nuint FIONREAD = 0x541B;

    [LibraryImport("libc", SetLastError = true)]
    private static partial int ioctl(int fd, nuint request, out int count);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int sig);

    [LibraryImport("libc")]
    private static partial uint geteuid();
}
