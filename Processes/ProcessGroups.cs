using System.Diagnostics;

namespace McpPlatform.Processes;

/// <summary>
/// Runs a program as <c>setsid setpriv --pdeathsig KILL [--reuid/--regid USER --init-groups] -- program args</c>:
/// its own session and process group (so a signal to the group reaches whatever it forks) and a
/// parent-death signal (so the kernel kills it if its parent dies without stopping it). Without
/// setsid or setpriv (util-linux) the program runs as it is, and <see cref="Available"/> says so.
/// </summary>
public static class ProcessGroups
{
    private static readonly string? SetSid = ExecutableSearch.Find("setsid");
    private static readonly string? SetPriv = ExecutableSearch.Find("setpriv");

    /// <summary>True when children get their own process group (setsid is installed).</summary>
    public static bool Available => SetSid is not null;

    /// <summary>Sets <paramref name="info"/>'s file name and arguments to run <paramref name="executable"/> in its own group.</summary>
    /// <param name="info">The start info to complete (its argument list must be empty).</param>
    /// <param name="executable">The program, resolved.</param>
    /// <param name="arguments">Its arguments.</param>
    /// <param name="runAsUser">An unprivileged user to switch to; only honoured when this process is root.</param>
    /// <exception cref="InvalidOperationException">A user switch is asked for and setpriv is missing.</exception>
    public static void Apply(ProcessStartInfo info, string executable, IEnumerable<string> arguments, string? runAsUser = null)
    {
        ArgumentNullException.ThrowIfNull(info);
        ArgumentException.ThrowIfNullOrWhiteSpace(executable);
        ArgumentNullException.ThrowIfNull(arguments);

        var chain = new List<string>();
        if (SetSid is not null)
        {
            chain.Add(SetSid);
        }
        var switchUser = runAsUser is not null && Posix.IsRoot;
        if (SetPriv is not null)
        {
            chain.AddRange([SetPriv, "--pdeathsig", "KILL"]);
            if (switchUser)
            {
                chain.AddRange(["--reuid", runAsUser!, "--regid", runAsUser!, "--init-groups"]);
            }
            chain.Add("--");
        }
        else if (switchUser)
        {
            throw new InvalidOperationException(
                $"Running {executable} as '{runAsUser}' needs setpriv (util-linux). Install util-linux, or run as a normal user.");
        }
        chain.Add(executable);
        chain.AddRange(arguments);

        info.FileName = chain[0];
        foreach (var argument in chain.Skip(1))
        {
            info.ArgumentList.Add(argument);
        }
    }

    /// <summary>
    /// Sends <paramref name="signal"/> to the group led by <paramref name="leader"/> (or to the leader
    /// alone when children have no group of their own). False when nothing was left to signal.
    /// </summary>
    public static bool Signal(int leader, int signal) =>
        Available ? Posix.SignalGroup(leader, signal) : Posix.Signal(leader, signal);
}
