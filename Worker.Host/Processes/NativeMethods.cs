using System.Runtime.InteropServices;

namespace McpPlatform.Worker.Host.Processes;

/// <summary>The one libc call .NET does not expose: signalling a whole process group.</summary>
internal static partial class NativeMethods
{
    public const int SigKill = 9;
    public const int SigTerm = 15;

    /// <summary>Sends <paramref name="signal"/> to every process in group <paramref name="processGroupId"/>.</summary>
    public static bool KillProcessGroup(int processGroupId, int signal) =>
        OperatingSystem.IsLinux() || OperatingSystem.IsMacOS() ? Kill(-processGroupId, signal) == 0 : false;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
