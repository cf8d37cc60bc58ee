using McpPlatform.Hosting.ApplicationModel;
using McpPlatform.Hosting.Orchestration;
using McpPlatform.Hosting.Processes;
using McpPlatform.Processes;

namespace McpPlatform.Hosting.Infrastructure;

/// <summary>
/// Redis: an external server when a connection string is given; else a container; else a local
/// <c>redis-server</c>; else absent, and the services that reference it run single-node.
/// </summary>
internal sealed class RedisRun(RedisResource redis, OrchestratorContext context) : ServerRun(redis, context)
{
    /// <summary>The one line that tells a developer why Redis is missing and what changes.</summary>
    public const string SingleNodeNotice =
        "Redis: no container engine and no redis-server found, so the platform runs single-node on in-process stores " +
        "(one gateway replica, sessions lost on restart). For the full platform: apt-get install -y redis-server, or start Docker/Podman.";

    private string? _redisServer;

    public override string Kind => "redis";

    protected override int StopSignal => Posix.SIGTERM;

    public override void Prepare()
    {
        if (redis.ExternalConnectionString is { } external)
        {
            redis.ConnectionString = external;
            return;
        }
        _redisServer = ExecutableSearch.Find("redis-server");
        if (Context.ContainerEngine is null && _redisServer is null)
        {
            redis.IsAbsent = true;
            return;
        }
        AllocatePortAndPassword();
        redis.ConnectionString = $"127.0.0.1:{PortText},password={Password}";
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
        OpenLog();
        var data = Path.Combine(DataRoot, "data");
        Directory.CreateDirectory(data);
        if (Context.ContainerEngine is { } engine)
        {
            await StartContainerAsync(engine, 6379, redis.Image, ["-v", $"{data}:/data"],
                ["redis-server", "--requirepass", Password, "--appendonly", "yes"]);
            SetState(ResourceState.Running, $"container {redis.Image}");
        }
        else
        {
            Process = await ManagedProcess.StartAsync(
                new ProcessSpec(_redisServer!,
                    ["--port", PortText, "--bind", "127.0.0.1", "--dir", data, "--requirepass", Password,
                     "--appendonly", "yes", "--save", "", "--daemonize", "no", "--protected-mode", "yes"],
                    DataRoot, new Dictionary<string, string?>()),
                Log!.Write);
            SetState(ResourceState.Running, $"local {_redisServer}");
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Context.Options.StartupTimeout);
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        while (!await RedisProbe.PingAsync(Port, Password, deadline.Token))
        {
            if (Process!.Exited.IsCompleted)
            {
                throw new DistributedApplicationException($"redis-server exited with code {Process.Exited.Result}:{Environment.NewLine}{Log!.Tail()}");
            }
            await timer.WaitForNextTickAsync(deadline.Token);
        }
        MarkReady();
    }
}
