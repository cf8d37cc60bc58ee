using System.Diagnostics.Metrics;
using System.Text;
using System.Text.Json;
using McpPlatform.Worker.Host.Catalog;
using McpPlatform.Worker.Host.Pool;
using McpPlatform.Worker.Host.Workspaces;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace McpPlatform.Worker.Host.Tests.Infrastructure;

/// <summary>A real WorkerPool over real sample-server processes, with its watchdog running; disposal stops everything.</summary>
internal sealed class TestPool : IAsyncDisposable
{
    private static readonly ServiceProvider Services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _maintenance;

    public TestPool(params ServerDefinition[] servers)
    {
        Options = new WorkerOptions
        {
            WorkspaceRoot = Path.Combine(Path.GetTempPath(), "mcp-worker-tests", Guid.NewGuid().ToString("n")),
            MaintenanceInterval = TimeSpan.FromMilliseconds(50),
        };
        foreach (var server in servers)
        {
            Options.Servers[server.Name] = server;
        }

        Workspaces = new WorkspaceManager(Microsoft.Extensions.Options.Options.Create(Options));
        Pool = new WorkerPool(Microsoft.Extensions.Options.Options.Create(Options), TimeProvider.System,
            new PoolMetrics(Services.GetRequiredService<IMeterFactory>()), Workspaces, CreateLoggerFactory());
        Pool.Start();
        _maintenance = Pool.RunMaintenanceAsync(_stop.Token);
    }

    public WorkerOptions Options { get; }

    /// <summary>WORKER_TESTS_LOG=1 shows the pool's and the servers' logs on the console while debugging.</summary>
    private static ILoggerFactory CreateLoggerFactory() => Environment.GetEnvironmentVariable("WORKER_TESTS_LOG") == "1"
        ? LoggerFactory.Create(b => b.AddSimpleConsole().SetMinimumLevel(LogLevel.Debug))
        : NullLoggerFactory.Instance;

    public WorkspaceManager Workspaces { get; }

    public WorkerPool Pool { get; }

    /// <summary>Every process id a test saw; all must be gone after disposal.</summary>
    public HashSet<int> SeenPids { get; } = [];

    public static string SampleDll(string project)
    {
        var baseDir = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = baseDir.Parent!.Name;
        var repo = RepoLocator.Resolve(string.Empty);
        return Path.Combine(repo, "samples", project, "bin", configuration, "net10.0", project + ".dll");
    }

    public static ServerDefinition Echo(string name = "echo", IsolationMode isolation = IsolationMode.Shared, int maxSlots = 4) => new()
    {
        Name = name,
        Command = "dotnet",
        Args = [SampleDll("EchoServer")],
        Isolation = isolation,
        MaxSlots = maxSlots,
        AcquireTimeout = TimeSpan.FromSeconds(60),
        CallTimeout = TimeSpan.FromSeconds(30),
    };

    public static ServerDefinition Script(string name, string script) => new()
    {
        Name = name,
        Command = "/bin/sh",
        Args = ["-c", script],
        MaxSlots = 1,
        AcquireTimeout = TimeSpan.FromSeconds(10),
        InitializeTimeout = TimeSpan.FromSeconds(10),
        CallTimeout = TimeSpan.FromSeconds(10),
        RestartBackoff = TimeSpan.FromSeconds(5),
        StopGracePeriod = TimeSpan.FromMilliseconds(200),
        MaxRestartBackoff = TimeSpan.FromSeconds(5),
    };

    public static byte[] Call(object id, string tool, object? arguments = null, object? progressToken = null)
    {
        var parameters = new Dictionary<string, object?> { ["name"] = tool, ["arguments"] = arguments ?? new { } };
        if (progressToken is not null)
        {
            parameters["_meta"] = new Dictionary<string, object?> { ["progressToken"] = progressToken };
        }

        return JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object?> { ["jsonrpc"] = "2.0", ["id"] = id, ["method"] = "tools/call", ["params"] = parameters });
    }

    /// <summary>The text of the first content block of a tools/call result.</summary>
    public static string Text(RpcMessage response)
    {
        using var document = JsonDocument.Parse(response.Json);
        if (document.RootElement.TryGetProperty("error", out var error))
        {
            throw new InvalidOperationException("Expected a result, got " + error.GetRawText());
        }

        return document.RootElement.GetProperty("result").GetProperty("content")[0].GetProperty("text").GetString()!;
    }

    public static JsonElement Who(RpcMessage response) => JsonDocument.Parse(Text(response)).RootElement.Clone();

    public static string Raw(RpcMessage response) => Encoding.UTF8.GetString(response.Json.Span);

    public async Task<RpcMessage> CallAsync(string server, string tenant, byte[] request, IRelatedMessageSink? sink = null)
    {
        await using var lease = await Pool.AcquireAsync(server, tenant, null, CancellationToken.None);
        return await lease.SendAsync(request, sink, CancellationToken.None);
    }

    public async Task<int> WhoAmIAsync(string server, string tenant = "t")
    {
        using var response = await CallAsync(server, tenant, Call(1, "whoami"));
        var pid = Who(response).GetProperty("pid").GetInt32();
        lock (SeenPids)
        {
            SeenPids.Add(pid);
        }

        return pid;
    }

    public static bool IsGone(int pid) => !Directory.Exists($"/proc/{pid}");

    /// <summary>Present and not a zombie (a reparented grandchild's zombie is init's to reap, not ours).</summary>
    public static bool IsRunning(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Pool.DisposeAsync();
        await _stop.CancelAsync();
        await _maintenance;
        foreach (var pid in SeenPids)
        {
            Assert.True(IsGone(pid), $"process {pid} is still there (orphan or zombie) after the pool stopped");
        }

        foreach (var (_, snapshot) in Pool.Catalog.Select(c => (c.Key, Pool.Snapshot(c.Key))))
        {
            Assert.Empty(snapshot);
        }

        try
        {
            Directory.Delete(Options.WorkspaceRoot, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }
}
