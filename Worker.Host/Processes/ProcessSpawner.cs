using System.Collections.Concurrent;
using System.Diagnostics;

namespace McpPlatform.Worker.Host.Processes;

/// <summary>
/// Starts every server process from one dedicated, long-lived thread. Why: <c>setpriv --pdeathsig KILL</c>
/// delivers its signal when the <em>thread</em> that forked the child exits, not the process; forking from
/// thread-pool threads (which come and go) would kill healthy servers at random.
/// </summary>
internal sealed class ProcessSpawner : IDisposable
{
    private static readonly string? Setsid = FindOnPath("setsid");
    private static readonly string? Setpriv = FindOnPath("setpriv");

    private readonly BlockingCollection<(ProcessStartInfo Info, TaskCompletionSource<Process> Started)> _queue = new();
    private readonly Thread _thread;

    public ProcessSpawner()
    {
        _thread = new Thread(Run) { IsBackground = true, Name = "mcp-process-spawner" };
        _thread.Start();
    }

    /// <summary>True when processes get their own session (and so their own process group).</summary>
    public static bool UsesProcessGroups => Setsid is not null;

    /// <summary>Builds the start info: <c>setsid [setpriv --pdeathsig KILL --] command args</c>, stdio redirected.</summary>
    public static ProcessStartInfo Describe(string command, IEnumerable<string> args, string workingDirectory, IReadOnlyDictionary<string, string> environment)
    {
        var resolved = command.Contains('/', StringComparison.Ordinal) ? command : FindOnPath(command)
            ?? throw new FileNotFoundException($"The command '{command}' was not found on PATH; install it or give an absolute path in the catalog.");
        if (!File.Exists(resolved))
        {
            throw new FileNotFoundException($"The command '{resolved}' does not exist.");
        }

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

        var chain = new List<string>();
        if (Setsid is not null)
        {
            chain.Add(Setsid);
        }

        if (Setpriv is not null)
        {
            chain.AddRange([Setpriv, "--pdeathsig", "KILL", "--"]);
        }

        chain.Add(resolved);
        chain.AddRange(args);
        info.FileName = chain[0];
        foreach (var a in chain.Skip(1))
        {
            info.ArgumentList.Add(a);
        }

        return info;
    }

    public Task<Process> StartAsync(ProcessStartInfo info, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var started = new TaskCompletionSource<Process>(TaskCreationOptions.RunContinuationsAsynchronously);
        _queue.Add((info, started), cancellationToken);
        return started.Task;
    }

    public void Dispose() => _queue.CompleteAdding();

    private void Run()
    {
        foreach (var (info, started) in _queue.GetConsumingEnumerable())
        {
            try
            {
                started.TrySetResult(Process.Start(info) ?? throw new InvalidOperationException($"'{info.FileName}' did not start."));
            }
            catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
            {
                started.TrySetException(e);
            }
        }
    }

    internal static string? FindOnPath(string name)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/bin:/usr/bin:/bin").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
