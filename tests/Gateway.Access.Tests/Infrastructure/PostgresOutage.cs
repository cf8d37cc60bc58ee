using System.Diagnostics;
using McpPlatform.Processes;

namespace McpPlatform.Gateway.Access.Tests.Infrastructure;

/// <summary>
/// Stops the PostgreSQL server a test started (its fast shutdown, SIGINT) and starts it again later with the same
/// command line, data directory, port and user, so the outage is real: connections are refused, then accepted.
/// The restarted server is this object's to stop (on dispose); it runs under the parent-death signal like the first.
/// </summary>
public sealed class PostgresOutage : IAsyncDisposable
{
    private readonly string[] _command;
    private readonly string _workingDirectory;
    private readonly string? _user;
    private Process? _restarted;

    private PostgresOutage(string[] command, string workingDirectory, string? user)
    {
        _command = command;
        _workingDirectory = workingDirectory;
        _user = user;
    }

    /// <summary>Stops the postmaster <paramref name="pid"/> and waits until it has exited.</summary>
    public static async Task<PostgresOutage> BeginAsync(int pid)
    {
        var command = (await File.ReadAllTextAsync($"/proc/{pid}/cmdline")).Split('\0', StringSplitOptions.RemoveEmptyEntries);
        var workingDirectory = new DirectoryInfo($"/proc/{pid}/cwd").ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? "/";
        var uid = File.ReadLines($"/proc/{pid}/status").First(line => line.StartsWith("Uid:", StringComparison.Ordinal)).Split('\t', StringSplitOptions.RemoveEmptyEntries)[1];
        var user = uid == "0" ? null : File.ReadLines("/etc/passwd").Select(line => line.Split(':')).FirstOrDefault(f => f.Length > 2 && f[2] == uid)?[0];
        Assert.True(ProcessGroups.Signal(pid, Posix.SIGINT), "PostgreSQL was running");
        await Eventually.UntilAsync(() => Task.FromResult(!Directory.Exists($"/proc/{pid}")), "PostgreSQL to stop", TimeSpan.FromSeconds(30));
        return new PostgresOutage(command, workingDirectory, user);
    }

    /// <summary>Starts PostgreSQL again (the caller waits for it to accept connections).</summary>
    public async Task EndAsync()
    {
        var info = new ProcessStartInfo
        {
            WorkingDirectory = _workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["LC_ALL"] = "C.UTF-8";
        ProcessGroups.Apply(info, _command[0].Contains('/', StringComparison.Ordinal) ? _command[0] : ExecutableSearch.Find(_command[0]) ?? _command[0], _command.Skip(1), _user);
        _restarted = await ProcessLauncher.Shared.StartAsync(info);
        _restarted.OutputDataReceived += (_, _) => { };
        _restarted.ErrorDataReceived += (_, _) => { };
        _restarted.BeginOutputReadLine();
        _restarted.BeginErrorReadLine();
    }

    public async ValueTask DisposeAsync()
    {
        if (_restarted is { HasExited: false } process)
        {
            ProcessGroups.Signal(process.Id, Posix.SIGINT);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                ProcessGroups.Signal(process.Id, Posix.SIGKILL);
                await process.WaitForExitAsync();
            }
        }

        _restarted?.Dispose();
    }
}
