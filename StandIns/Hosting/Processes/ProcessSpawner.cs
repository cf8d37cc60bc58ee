using System.Collections.Concurrent;
using System.Diagnostics;

namespace McpPlatform.Hosting.Processes;

/// <summary>
/// Starts child processes from one long-lived thread. Children are started under
/// <c>setpriv --pdeathsig KILL</c>, and Linux delivers that signal when the *thread* that forked
/// exits; forking from a thread-pool thread that later retires would kill healthy children.
/// </summary>
internal static class ProcessSpawner
{
    private static readonly BlockingCollection<(ProcessStartInfo Info, TaskCompletionSource<Process> Started)> Requests = new();

    static ProcessSpawner()
    {
        var thread = new Thread(Run) { IsBackground = true, Name = "McpPlatform.Hosting process spawner" };
        thread.Start();
    }

    public static Task<Process> StartAsync(ProcessStartInfo info)
    {
        var started = new TaskCompletionSource<Process>(TaskCreationOptions.RunContinuationsAsynchronously);
        Requests.Add((info, started));
        return started.Task;
    }

    private static void Run()
    {
        foreach (var (info, started) in Requests.GetConsumingEnumerable())
        {
            try
            {
                var process = new Process { StartInfo = info, EnableRaisingEvents = true };
                process.Start();
                started.SetResult(process);
            }
            catch (Exception ex)
            {
                started.SetException(ex);
            }
        }
    }
}
