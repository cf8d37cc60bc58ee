using System.Globalization;
using McpPlatform.Hosting.ApplicationModel;
using McpPlatform.Hosting.Orchestration;
using McpPlatform.Hosting.Processes;

namespace McpPlatform.Hosting.Infrastructure;

/// <summary>
/// Redis: an external server when a connection string is given; else a container; else a local
/// <c>redis-server</c>; else absent, and the services that reference it run single-node.
/// </summary>
internal sealed class RedisRun(RedisResource redis, OrchestratorContext context) : ResourceRun(redis, context)
{
    /// <summary>The one line that tells a developer why Redis is missing and what changes.</summary>
    public const string SingleNodeNotice =
        "Redis: no container engine and no redis-server found, so the platform runs single-node on in-process stores " +
        "(one gateway replica, sessions lost on restart). For the full platform: apt-get install -y redis-server, or start Docker/Podman.";

    private int _port;
    private string? _password;
    private ManagedProcess? _process;
    private ResourceLog? _log;
    private string? _containerName;
    private string? _redisServer;

    public override string Kind => "redis";

    private string DataRoot => Path.Combine(Context.Options.StateDirectory, Resource.Name);

    public override IReadOnlyDictionary<string, IReadOnlyList<string>> Endpoints =>
        _port == 0
            ? new Dictionary<string, IReadOnlyList<string>>()
            : new Dictionary<string, IReadOnlyList<string>> { ["tcp"] = [$"tcp://127.0.0.1:{_port}"] };

    public override IReadOnlyList<int> Pids => _process is null ? [] : [_process.Pid];

    public override void Prepare()
    {
        if (redis.ExternalConnectionString is { } external)
        {
            redis.ConnectionString = external;
            return;
        }
        _redisServer = Tools.Find("redis-server");
        if (Context.ContainerEngine is null && _redisServer is null)
        {
            redis.IsAbsent = true;
            return;
        }
        _port = PortAllocator.Next();
        _password = Secrets.LoadOrCreate(Path.Combine(DataRoot, "password"));
        redis.ConnectionString = $"127.0.0.1:{_port},password={_password}";
    }

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        if (redis.IsAbsent)
        {
            Context.View.Notice(SingleNodeNotice);
            MarkAbsent("single-node mode: in-process stores");
            return;
        }
        if (redis.ExternalConnectionString is not null)
        {
            MarkReady("external server");
            return;
        }

        SetState(ResourceState.Starting);
        _log = Context.OpenLog(Resource.Name);
        var data = Path.Combine(DataRoot, "data");
        Directory.CreateDirectory(data);
        var port = _port.ToString(CultureInfo.InvariantCulture);
        if (Context.ContainerEngine is { } engine)
        {
            _containerName = $"mcpplatform-{Resource.Name}-{_port}";
            _process = await ManagedProcess.StartAsync(
                new ProcessSpec(engine.Client,
                    ["run", "--rm", "--name", _containerName, "-p", $"127.0.0.1:{port}:6379", "-v", $"{data}:/data", redis.Image,
                     "redis-server", "--requirepass", _password!, "--appendonly", "yes"],
                    DataRoot, new Dictionary<string, string?>()),
                _log.Write);
            SetState(ResourceState.Running, $"container {redis.Image}");
        }
        else
        {
            _process = await ManagedProcess.StartAsync(
                new ProcessSpec(_redisServer!,
                    ["--port", port, "--bind", "127.0.0.1", "--dir", data, "--requirepass", _password!,
                     "--appendonly", "yes", "--save", "", "--daemonize", "no", "--protected-mode", "yes"],
                    DataRoot, new Dictionary<string, string?>()),
                _log.Write);
            SetState(ResourceState.Running, $"local {_redisServer}");
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Context.Options.StartupTimeout);
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        while (!await RedisProbe.PingAsync(_port, _password, deadline.Token))
        {
            if (_process.Exited.IsCompleted)
            {
                throw new DistributedApplicationException($"redis-server exited with code {_process.Exited.Result}:{Environment.NewLine}{_log.Tail()}");
            }
            await timer.WaitForNextTickAsync(deadline.Token);
        }
        MarkReady();
    }

    public override async Task StopAsync()
    {
        if (_process is null)
        {
            return;
        }
        SetState(ResourceState.Stopping);
        await _process.StopAsync(Posix.SIGTERM, Context.Options.ShutdownGrace);
        if (_containerName is not null)
        {
            Context.ContainerEngine?.ForceRemove(_containerName);
        }
        SetState(ResourceState.Stopped);
        _log?.Dispose();
    }
}
