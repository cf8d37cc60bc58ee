using System.Diagnostics;
using System.Runtime.InteropServices;

namespace McpPlatform.Bench.Gateway.Targets;

/// <summary>A process the bench starts and always ends: SIGTERM, a grace period, then SIGKILL for the whole tree.</summary>
public sealed partial class ChildProcess : IAsyncDisposable
{
    private const int SigTerm = 15;
    private readonly Process _process;
    private readonly StreamWriter? _log;

    private ChildProcess(Process process, string? logPath)
    {
        _process = process;
        if (logPath is not null)
        {
            _log = new StreamWriter(logPath) { AutoFlush = true };
        }
        _process.OutputDataReceived += (_, e) => Write(e.Data);
        _process.ErrorDataReceived += (_, e) => Write(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Starts <paramref name="fileName"/>; its output goes to <paramref name="logPath"/> (or nowhere).</summary>
    public static ChildProcess Start(string fileName, IEnumerable<string> arguments, string workingDirectory, string? logPath,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }
        return new ChildProcess(Process.Start(info) ?? throw new InvalidOperationException($"{fileName} did not start"), logPath);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _ = Kill(_process.Id, SigTerm);
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            try
            {
                await _process.WaitForExitAsync(grace.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().ConfigureAwait(false);
        }
        _process.Dispose();
        _log?.Dispose();
    }

    private void Write(string? line)
    {
        if (line is not null && _log is not null)
        {
            lock (_log)
            {
                _log.WriteLine(line);
            }
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
