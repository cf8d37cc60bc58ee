using System.Diagnostics;
using System.Text;
using System.Text.Json;
using McpPlatform.Hosting;
using McpPlatform.Processes;
using Xunit.Abstractions;

namespace McpPlatform.AppHost.Tests.Infrastructure;

/// <summary>
/// AppHost run as a developer runs it (its built executable, the same as <c>dotnet run --project AppHost</c>
/// after the build), with a state folder and state file of the test's own.
/// </summary>
internal sealed class AppHostProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly ITestOutputHelper _log;

    private AppHostProcess(Process process, string stateFile, ITestOutputHelper log)
    {
        _process = process;
        StateFile = stateFile;
        _log = log;
    }

    public string StateFile { get; }

    public int Pid => _process.Id;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static AppHostProcess Start(string stateDirectory, ITestOutputHelper log, IReadOnlyDictionary<string, string>? environment = null)
    {
        var appHost = Path.Combine(RepositoryRoot, "AppHost", "bin", Configuration, "net10.0", "AppHost.dll");
        Assert.True(File.Exists(appHost), $"{appHost} is missing: build the solution first (eng/test does).");
        var stateFile = Path.Combine(stateDirectory, "state.json");
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepositoryRoot,
        };
        foreach (var arg in new[] { appHost, "--no-live", "--state-dir", stateDirectory, "--state-file", stateFile })
        {
            info.ArgumentList.Add(arg);
        }
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }
        var process = Process.Start(info)!;
        var host = new AppHostProcess(process, stateFile, log);
        process.OutputDataReceived += (_, e) => host.Append(e.Data);
        process.ErrorDataReceived += (_, e) => host.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return host;
    }

    public static string RepositoryRoot { get; } = DistributedApplicationBuilder.FindRepositoryRoot(AppContext.BaseDirectory);

    public static string Configuration { get; } = DistributedApplicationBuilder.BuildConfigurationOf(typeof(AppHostProcess).Assembly);

    /// <summary>Waits until the state file says <paramref name="state"/>; fails with AppHost's output if it exits first.</summary>
    public async Task<JsonElement> WaitForStateAsync(string state, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(250));
        while (true)
        {
            if (ReadState() is { } document && document.GetProperty("state").GetString() == state)
            {
                return document;
            }
            Assert.False(_process.HasExited, $"AppHost exited with {(_process.HasExited ? _process.ExitCode : 0)} before '{state}':\n{Output}");
            try
            {
                await timer.WaitForNextTickAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"AppHost did not reach '{state}' within {timeout}:\n{Output}");
            }
        }
    }

    /// <summary>Waits until AppHost has printed <paramref name="text"/> (its output reaches us a little after it is written).</summary>
    public async Task WaitForOutputAsync(string text, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
        while (!Output.Contains(text, StringComparison.Ordinal))
        {
            try
            {
                await timer.WaitForNextTickAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"AppHost did not print '{text}' within {timeout}:\n{Output}");
            }
        }
    }

    /// <summary>Sends SIGTERM (what Ctrl+C and ECS do) and returns the exit code.</summary>
    public async Task<int> StopAsync(TimeSpan timeout)
    {
        Posix.Signal(_process.Id, Posix.SIGTERM);
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"AppHost did not stop within {timeout}:\n{Output}");
        }
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await StopAsync(TimeSpan.FromSeconds(60));
        }
        _process.Dispose();
    }

    private JsonElement? ReadState()
    {
        try
        {
            return File.Exists(StateFile) ? JsonDocument.Parse(File.ReadAllText(StateFile)).RootElement.Clone() : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            _output.AppendLine(line);
        }
        try
        {
            _log.WriteLine(line);
        }
        catch (InvalidOperationException)
        {
            // The test has finished; its output helper no longer takes lines.
        }
    }
}
