using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using McpPlatform.Processes;

namespace McpPlatform.Bench.Dispatch;

/// <summary>
/// The processes a run starts (redis-server, Dispatcher.Grpc, Worker.Host, the direct echo servers), each in its own
/// process group with a parent-death signal, so none outlives the benchmark; all stopped on dispose.
/// </summary>
internal sealed class Children : IAsyncDisposable
{
    private readonly List<Process> _processes = [];

    public static string Repo { get; } = FindRepo();

    /// <summary>The build configuration this benchmark was built in, which is its peers' too.</summary>
    public static string Configuration { get; } = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd('/')).Parent!.Name;

    public static string Output(string project, string dll) => Path.Combine(Repo, project, "bin", Configuration, "net10.0", dll);

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Starts a program; with <paramref name="stdio"/> its stdin and stdout are the caller's to use.</summary>
    public async Task<Process> StartAsync(string program, IEnumerable<string> arguments, IDictionary<string, string>? environment = null, bool stdio = false)
    {
        var info = new ProcessStartInfo { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = stdio, UseShellExecute = false };
        // A .NET app reads its appsettings.json from its content root, the working directory.
        if (arguments.FirstOrDefault() is { } first && first.EndsWith(".dll", StringComparison.Ordinal))
        {
            info.WorkingDirectory = Path.GetDirectoryName(first)!;
        }

        ProcessGroups.Apply(info, ExecutableSearch.Find(program) ?? program, arguments);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        var process = await ProcessLauncher.Shared.StartAsync(info);
        _processes.Add(process);
        process.ErrorDataReceived += (_, e) =>
        {
            if (!string.IsNullOrEmpty(e.Data))
            {
                Console.Error.WriteLine($"[{Path.GetFileName(program)} {process.Id}] {e.Data}");
            }
        };
        process.BeginErrorReadLine();
        if (!stdio)
        {
            process.OutputDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
        }

        return process;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in Enumerable.Reverse(_processes))
        {
            ProcessGroups.Signal(process.Id, 15);
        }

        foreach (var process in _processes)
        {
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            try
            {
                await process.WaitForExitAsync(wait.Token);
            }
            catch (OperationCanceledException)
            {
                ProcessGroups.Signal(process.Id, 9);
                await process.WaitForExitAsync();
            }

            process.Dispose();
        }
    }

    private static string FindRepo()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "McpPlatform.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Run from the repository's build output (McpPlatform.sln not found above it).");
    }
}
