using System.Diagnostics;
using McpPlatform.Processes;

namespace McpPlatform.Hosting.Processes;

/// <summary>
/// A child process in its own session and process group (so stopping it reaches everything it
/// forked), killed by the kernel if the orchestrator dies, with its output delivered line by line.
/// </summary>
public sealed class ManagedProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ManagedProcess(Process process)
    {
        _process = process;
        Pid = process.Id;
    }

    /// <summary>The process id; also its process-group and session id.</summary>
    public int Pid { get; }

    /// <summary>Completes with the exit code when the process has exited and its output is drained.</summary>
    public Task<int> Exited => _exited.Task;

    /// <summary>Starts <paramref name="spec"/>; <paramref name="onLine"/> receives each output line (true for stderr).</summary>
    public static async Task<ManagedProcess> StartAsync(ProcessSpec spec, Action<string, bool> onLine)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(onLine);

        var info = BuildStartInfo(spec);
        var process = await ProcessLauncher.Shared.StartAsync(info).ConfigureAwait(false);
        var managed = new ManagedProcess(process);
        process.OutputDataReceived += (_, e) => OnData(e.Data, false);
        process.ErrorDataReceived += (_, e) => OnData(e.Data, true);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _ = Task.Run(async () =>
        {
            await process.WaitForExitAsync().ConfigureAwait(false); // also waits for both streams to reach EOF
            managed._exited.TrySetResult(process.ExitCode);
        });
        return managed;

        void OnData(string? line, bool isError)
        {
            if (line is not null)
            {
                onLine(line, isError);
            }
        }
    }

    /// <summary>
    /// Sends <paramref name="signal"/> to the whole process group, waits up to <paramref name="grace"/>,
    /// then kills the group. Returns when the process has exited.
    /// </summary>
    public async Task StopAsync(int signal, TimeSpan grace)
    {
        if (!Exited.IsCompleted)
        {
            ProcessGroups.Signal(Pid, signal);
            using var timeout = new CancellationTokenSource(grace);
            try
            {
                await Exited.WaitAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }
        // Whatever the leader did, nothing of its group may outlive it.
        ProcessGroups.Signal(Pid, Posix.SIGKILL);
        await Exited.ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopAsync(Posix.SIGKILL, TimeSpan.Zero).ConfigureAwait(false);
        _process.Dispose();
    }

    private static ProcessStartInfo BuildStartInfo(ProcessSpec spec)
    {
        var info = new ProcessStartInfo
        {
            WorkingDirectory = spec.WorkingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true, // a child that reads stdin sees EOF, not the orchestrator's terminal
            UseShellExecute = false,
        };
        var executable = ExecutableSearch.Find(spec.FileName)
                         ?? throw new DistributedApplicationException($"{spec.FileName} was not found on PATH.");
        ProcessGroups.Apply(info, executable, spec.Arguments, spec.RunAsUser);
        foreach (var (key, value) in spec.Environment)
        {
            if (value is null)
            {
                info.Environment.Remove(key);
            }
            else
            {
                info.Environment[key] = value;
            }
        }
        return info;
    }
}
