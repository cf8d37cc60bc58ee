using System.Globalization;
using McpPlatform.Hosting.ApplicationModel;
using McpPlatform.Hosting.Processes;
using McpPlatform.Processes;

namespace McpPlatform.Hosting.Orchestration;

/// <summary>
/// A project run from its build output (<c>dotnet bin/{Configuration}/net10.0/{Name}.dll</c>), one
/// process per replica, wired with Aspire's conventions and ready when <c>/health/ready</c> answers 200.
/// </summary>
internal sealed class ProjectRun(ProjectResource project, OrchestratorContext context, Func<IResource, ResourceRun> runOf)
    : ResourceRun(project, context)
{
    private static readonly HttpClient Probe = new() { Timeout = TimeSpan.FromSeconds(2) };

    // Inherited settings that would override the ports and environment we hand out.
    private static readonly string[] Scrubbed =
        ["ASPNETCORE_URLS", "DOTNET_URLS", "ASPNETCORE_HTTP_PORTS", "ASPNETCORE_HTTPS_PORTS", "DOTNET_LAUNCH_PROFILE", "MSBuildExtensionsPath", "MSBuildSDKsPath"];

    private readonly List<Dictionary<string, int>> _ports = [];
    private readonly List<ManagedProcess> _processes = [];
    private ResourceLog? _log;

    public override string Kind => "project";

    public ProjectResource Project => project;

    public override IReadOnlyDictionary<string, IReadOnlyList<string>> Endpoints =>
        project.Endpoints.ToDictionary(
            e => e.Name,
            e => (IReadOnlyList<string>)_ports.Select(p => $"http://127.0.0.1:{p[e.Name]}").ToArray());

    public override IReadOnlyList<int> Pids
    {
        get
        {
            lock (_processes)
            {
                return _processes.Select(p => p.Pid).ToArray();
            }
        }
    }

    public override void Prepare()
    {
        for (var replica = 0; replica < project.Replicas; replica++)
        {
            _ports.Add(project.Endpoints.ToDictionary(e => e.Name, _ => PortAllocator.Next()));
        }
    }

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        SetState(ResourceState.Starting);
        _log = Context.OpenLog(Resource.Name);
        var assembly = await EnsureBuiltAsync(cancellationToken);
        var workingDirectory = Path.GetDirectoryName(project.ProjectPath)!;
        for (var replica = 0; replica < project.Replicas; replica++)
        {
            var spec = new ProcessSpec("dotnet", [assembly, .. project.Args], workingDirectory, Environment(replica));
            var process = await ManagedProcess.StartAsync(spec, _log.Write);
            lock (_processes)
            {
                _processes.Add(process);
            }
        }
        SetState(ResourceState.Running, project.Replicas > 1 ? $"{project.Replicas} replicas" : null);

        await Task.WhenAll(Enumerable.Range(0, project.Replicas).Select(replica => ReadyOrRebindAsync(replica, assembly, workingDirectory, cancellationToken)));
        MarkReady();
        _ = WatchForExitAsync();
    }

    public override async Task StopAsync()
    {
        ManagedProcess[] processes;
        lock (_processes)
        {
            processes = [.. _processes];
        }
        if (processes.Length == 0)
        {
            return;
        }
        SetState(ResourceState.Stopping);
        await Task.WhenAll(processes.Select(p => p.StopAsync(Posix.SIGTERM, Context.Options.ShutdownGrace)));
        SetState(ResourceState.Stopped);
        _log?.Dispose();
    }

    private Dictionary<string, string?> Environment(int replica)
    {
        var env = Scrubbed.ToDictionary(name => name, _ => (string?)null);
        env["ASPNETCORE_ENVIRONMENT"] = "Development";
        env["DOTNET_ENVIRONMENT"] = "Development";
        env["OTEL_SERVICE_NAME"] = Resource.Name;
        env["OTEL_RESOURCE_ATTRIBUTES"] = $"service.instance.id={Resource.Name}-{replica}";
        foreach (var endpoint in project.Endpoints)
        {
            env[$"Kestrel__Endpoints__{endpoint.Name}__Url"] = $"http://127.0.0.1:{_ports[replica][endpoint.Name]}";
            env[$"Kestrel__Endpoints__{endpoint.Name}__Protocols"] = endpoint.Protocol == EndpointProtocol.Http2 ? "Http2" : "Http1";
        }
        foreach (var reference in project.References)
        {
            switch (reference)
            {
                case IResourceWithConnectionString { ConnectionString: { } connectionString }:
                    env[$"ConnectionStrings__{reference.Name}"] = connectionString;
                    break;
                case ProjectResource:
                    foreach (var (endpoint, urls) in runOf(reference).Endpoints)
                    {
                        for (var i = 0; i < urls.Count; i++)
                        {
                            env[$"services__{reference.Name}__{endpoint}__{i}"] = urls[i];
                        }
                    }
                    break;
            }
        }
        foreach (var (key, value) in project.Environment)
        {
            env[key] = value;
        }
        return env;
    }

    private async Task<string> EnsureBuiltAsync(CancellationToken cancellationToken)
    {
        var name = Path.GetFileNameWithoutExtension(project.ProjectPath);
        var assembly = Path.Combine(Path.GetDirectoryName(project.ProjectPath)!, "bin", Context.Options.Configuration, "net10.0", name + ".dll");
        if (File.Exists(assembly))
        {
            return assembly;
        }
        SetState(ResourceState.Starting, "building");
        await using var build = await ManagedProcess.StartAsync(
            new ProcessSpec("dotnet", ["build", project.ProjectPath, "-c", Context.Options.Configuration, "-nologo", "-v", "q"],
                Context.Options.RepositoryRoot, new Dictionary<string, string?>()),
            _log!.Write);
        var exitCode = await build.Exited.WaitAsync(cancellationToken);
        if (exitCode != 0 || !File.Exists(assembly))
        {
            throw new DistributedApplicationException($"dotnet build {project.ProjectPath} failed ({exitCode}):{System.Environment.NewLine}{_log.Tail()}");
        }
        return assembly;
    }

    /// <summary>
    /// Waits for a replica to be ready. A port chosen free can be taken before the service binds it (an outgoing
    /// connection's ephemeral port, another test's listener): a replica that exits with "address already in use" is
    /// started again on new ports, twice at most.
    /// </summary>
    private async Task ReadyOrRebindAsync(int replica, string assembly, string workingDirectory, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            ManagedProcess process;
            lock (_processes)
            {
                process = _processes[replica];
            }
            try
            {
                await WaitReadyAsync(process, _ports[replica]["http"], cancellationToken);
                return;
            }
            catch (DistributedApplicationException) when (attempt < 3 && process.Exited.IsCompleted
                && _log!.Tail().Contains("address already in use", StringComparison.Ordinal))
            {
                Context.View.Notice($"{Resource.Name}: a port it was given was taken before it could bind; starting it again on new ports.");
                foreach (var endpoint in project.Endpoints)
                {
                    _ports[replica][endpoint.Name] = PortAllocator.Next();
                }
                await process.DisposeAsync();
                var again = await ManagedProcess.StartAsync(new ProcessSpec("dotnet", [assembly, .. project.Args], workingDirectory, Environment(replica)), _log.Write);
                lock (_processes)
                {
                    _processes[replica] = again;
                }
            }
        }
    }

    private async Task WaitReadyAsync(ManagedProcess process, int port, CancellationToken cancellationToken)
    {
        var url = $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}{project.ReadinessPath}";
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Context.Options.StartupTimeout);
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(200));
        string? lastAnswer = null;
        try
        {
            while (true)
            {
                if (process.Exited.IsCompleted)
                {
                    throw new DistributedApplicationException(
                        $"exited with code {process.Exited.Result} before it was ready:{System.Environment.NewLine}{_log!.Tail()}");
                }
                try
                {
                    using var response = await Probe.GetAsync(url, deadline.Token);
                    if (response.IsSuccessStatusCode)
                    {
                        return;
                    }
                    lastAnswer = $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(deadline.Token)}";
                }
                catch (HttpRequestException ex)
                {
                    lastAnswer = ex.Message;
                }
                catch (TaskCanceledException) when (!deadline.IsCancellationRequested)
                {
                    lastAnswer = "no answer within 2 s";
                }
                await timer.WaitForNextTickAsync(deadline.Token);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new DistributedApplicationException(
                $"{url} did not answer 200 within {Context.Options.StartupTimeout.TotalSeconds:0} s (last answer: {lastAnswer ?? "none"}).");
        }
    }

    private async Task WatchForExitAsync()
    {
        ManagedProcess[] processes;
        lock (_processes)
        {
            processes = [.. _processes];
        }
        var exited = await Task.WhenAny(processes.Select(p => p.Exited));
        if (State is ResourceState.Ready or ResourceState.Running)
        {
            SetState(ResourceState.Failed, $"a replica exited with code {await exited}");
        }
    }
}
