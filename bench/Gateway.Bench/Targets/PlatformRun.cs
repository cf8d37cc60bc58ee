using System.Diagnostics;
using System.Text.Json;

namespace McpPlatform.Bench.Gateway.Targets;

/// <summary>
/// McpPlatform started by AppHost (built in the bench's configuration) with its own fresh state
/// folder and <c>--state-file</c>: the gateway's URL, every process id and the development API key
/// come from that file. With the development (admin) key the bench asks Access.Api for a key of its
/// own whose plan overrides lift the rate limit, concurrency, quota and session caps far above what
/// the bench can reach (they are still checked on every call, they just never bite). The echo server
/// is also listed as anonymous with no per-IP limit, so the same run measures the path with
/// authentication and without.
/// </summary>
public sealed class PlatformRun : IAsyncDisposable
{
    private const int Attempts = 3;
    private string _stateDirectory = NewStateDirectory();
    private ChildProcess? _appHost;

    public Uri? Gateway { get; private set; }

    /// <summary>The bench's own key (high limits), or the development key when Access.Api could not make one.</summary>
    public string? ApiKey { get; private set; }

    /// <summary>How the key was obtained, for the report.</summary>
    public string KeyNote { get; private set; } = "";

    private Uri? _accessApi;

    /// <summary>Every process of every resource (services, PostgreSQL, Redis); descendants are found when sampled.</summary>
    public IReadOnlyList<int> ProcessIds { get; private set; } = [];

    /// <summary>Gateway.Edge's processes alone (alive check).</summary>
    public IReadOnlyList<int> GatewayProcessIds { get; private set; } = [];

    public bool IsAlive => _appHost is { HasExited: false } && GatewayProcessIds.All(pid => Directory.Exists($"/proc/{pid}"));

    /// <summary>
    /// Builds (when asked) and starts the platform; a start that fails (on a busy machine a port AppHost chose can be
    /// taken before the service binds it) is retried with a fresh state folder.
    /// </summary>
    public async Task StartAsync(bool build, CancellationToken cancellationToken)
    {
        var appHost = Path.Combine(BenchPaths.Repository, "AppHost", "AppHost.csproj");
        if (build)
        {
            await BuildAsync(appHost, cancellationToken).ConfigureAwait(false);
        }
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await StartOnceAsync(cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (InvalidOperationException ex) when (attempt < Attempts)
            {
                Console.Error.WriteLine($"McpPlatform start {attempt} failed ({ex.Message}); trying again");
                await StopAsync().ConfigureAwait(false);
                _stateDirectory = NewStateDirectory();
            }
        }
    }

    private static string NewStateDirectory() => Path.Combine(Path.GetTempPath(), "gateway-bench-platform-" + Guid.NewGuid().ToString("N")[..8]);

    private async Task StartOnceAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(_stateDirectory);
        File.SetUnixFileMode(_stateDirectory, (UnixFileMode)0b111_101_101);
        var stateFile = Path.Combine(_stateDirectory, "state.json");
        var dll = Path.Combine(BenchPaths.Repository, "AppHost", "bin", BenchPaths.Configuration, "net10.0", "AppHost.dll");
        _appHost = ChildProcess.Start("dotnet", [dll, "--no-live", "--quiet", "--state-dir", _stateDirectory, "--state-file", stateFile],
            BenchPaths.Repository, Path.Combine(_stateDirectory, "apphost.out"),
            new Dictionary<string, string>
            {
                // Index 1: AppHost itself sets index 0 (conformance), which would replace an index-0 value from here.
                ["Gateway__AnonymousServers__1"] = "echo",
                ["Gateway__Access__Anonymous__RequestsPerSecond"] = "0",
            });
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromMinutes(4));
        while (!await TryReadStateAsync(stateFile, deadline.Token).ConfigureAwait(false))
        {
            if (_appHost.HasExited)
            {
                var reason = File.ReadLines(Path.Combine(_stateDirectory, "apphost.out")).FirstOrDefault(l => l.StartsWith('✗'));
                throw new InvalidOperationException($"AppHost exited before ready: {reason ?? "see " + _stateDirectory + "/apphost.out"}");
            }
            await Task.Delay(200, deadline.Token).ConfigureAwait(false);
        }
        await CreateBenchKeyAsync(deadline.Token).ConfigureAwait(false);
    }

    /// <summary>GET /me with the development key (the admin), then POST /admin/users/{id}/keys with plan overrides.</summary>
    private async Task CreateBenchKeyAsync(CancellationToken cancellationToken)
    {
        if (_accessApi is null)
        {
            KeyNote = "the development key (no Access.Api endpoint in the state file)";
            return;
        }
        using var http = new HttpClient { BaseAddress = _accessApi };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", ApiKey);
        try
        {
            using var me = JsonDocument.Parse(await http.GetStringAsync("/me", cancellationToken).ConfigureAwait(false));
            var userId = me.RootElement.GetProperty("user").GetProperty("id").GetString();
            using var created = await http.PostAsync(new Uri($"/admin/users/{userId}/keys", UriKind.Relative), new StringContent(
                """{"name":"gateway-bench","planOverrides":{"requestsPerSecond":1000000,"burst":1000000,"maxConcurrentJobs":100000,"monthlyQuota":1000000000000,"maxOpenSessions":100000}}""",
                System.Text.Encoding.UTF8, "application/json"), cancellationToken).ConfigureAwait(false);
            var body = await created.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (!created.IsSuccessStatusCode)
            {
                KeyNote = $"the development key (Access.Api answered {(int)created.StatusCode} to the bench key: {body})";
                return;
            }
            using var key = JsonDocument.Parse(body);
            ApiKey = (key.RootElement.TryGetProperty("key", out var secret) ? secret : key.RootElement.GetProperty("secret")).GetString();
            KeyNote = "a key made through Access.Api's admin API, plan overrides: 1,000,000 rps and burst, 100,000 concurrent jobs and sessions, 10^12 monthly quota";
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            KeyNote = $"the development key (the bench key could not be made: {ex.Message})";
        }
    }

    private async Task<bool> TryReadStateAsync(string stateFile, CancellationToken cancellationToken)
    {
        if (!File.Exists(stateFile))
        {
            return false;
        }
        using var state = JsonDocument.Parse(await File.ReadAllTextAsync(stateFile, cancellationToken).ConfigureAwait(false));
        var root = state.RootElement;
        if (root.GetProperty("state").GetString() != "ready")
        {
            return false;
        }
        var resources = root.GetProperty("resources");
        var gateway = resources.GetProperty("gateway-edge");
        Gateway = new Uri(gateway.GetProperty("endpoints").GetProperty("http")[0].GetString()!);
        GatewayProcessIds = [.. gateway.GetProperty("pids").EnumerateArray().Select(p => p.GetInt32())];
        ProcessIds = [.. resources.EnumerateObject()
            .Where(r => r.Value.TryGetProperty("pids", out var pids) && pids.ValueKind == JsonValueKind.Array)
            .SelectMany(r => r.Value.GetProperty("pids").EnumerateArray().Select(p => p.GetInt32()))];
        ApiKey = root.GetProperty("credentials").GetProperty("apiKey").GetString();
        _accessApi = resources.TryGetProperty("access-api", out var accessApi) && accessApi.TryGetProperty("endpoints", out var endpoints)
            && endpoints.TryGetProperty("http", out var urls) && urls.GetArrayLength() > 0 ? new Uri(urls[0].GetString()!) : null;
        return true;
    }

    private static async Task BuildAsync(string project, CancellationToken cancellationToken)
    {
        Console.Error.WriteLine($"building {Path.GetFileName(project)} and the services in {BenchPaths.Configuration}…");
        using var build = Process.Start(new ProcessStartInfo("dotnet", ["build", project, "-c", BenchPaths.Configuration, "-nologo", "-v", "q", "-clp:ErrorsOnly"])
        {
            WorkingDirectory = BenchPaths.Repository,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException("dotnet build did not start");
        var output = build.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = build.StandardError.ReadToEndAsync(cancellationToken);
        await build.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        if (build.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet build AppHost failed:{Environment.NewLine}{await output.ConfigureAwait(false)}{await errors.ConfigureAwait(false)}");
        }
    }

    public ValueTask DisposeAsync() => new(StopAsync());

    private async Task StopAsync()
    {
        if (_appHost is not null)
        {
            await _appHost.DisposeAsync().ConfigureAwait(false);
            _appHost = null;
        }
        try
        {
            Directory.Delete(_stateDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
