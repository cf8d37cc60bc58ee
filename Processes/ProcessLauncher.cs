using System.Collections.Concurrent;
using System.Diagnostics;

namespace McpPlatform.Processes;

/// <summary>
/// Starts child processes from one dedicated, long-lived thread. Linux delivers the parent-death
/// signal (<c>setpriv --pdeathsig</c>) when the *thread* that forked the child exits, not the
/// process: forking from thread-pool threads, which come and go, would kill healthy children.
/// </summary>
public sealed class ProcessLauncher : IDisposable
{
    private readonly BlockingCollection<(ProcessStartInfo Info, TaskCompletionSource<Process> Started)> _queue = new();

    /// <summary>Creates a launcher with its own thread; children must not outlive it.</summary>
    public ProcessLauncher(string name = "McpPlatform process launcher")
    {
        new Thread(Run) { IsBackground = true, Name = name }.Start();
    }

    /// <summary>A launcher for the life of this process.</summary>
    public static ProcessLauncher Shared { get; } = new();

    /// <summary>Starts <paramref name="info"/> on the launcher's thread.</summary>
    /// <exception cref="System.ComponentModel.Win32Exception">The program could not be started.</exception>
    public Task<Process> StartAsync(ProcessStartInfo info, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(info);
        cancellationToken.ThrowIfCancellationRequested();
        var started = new TaskCompletionSource<Process>(TaskCreationOptions.RunContinuationsAsynchronously);
        _queue.Add((info, started), cancellationToken);
        return started.Task;
    }

    /// <inheritdoc />
    public void Dispose() => _queue.CompleteAdding();

    private void Run()
    {
        foreach (var (info, started) in _queue.GetConsumingEnumerable())
        {
            try
            {
                var process = new Process { StartInfo = info, EnableRaisingEvents = true };
                process.Start();
                started.TrySetResult(process);
            }
            catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException)
            {
                started.TrySetException(ex);
            }
        }
    }
}
