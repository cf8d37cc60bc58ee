using System.Globalization;
using McpPlatform.Hosting.ApplicationModel;
using McpPlatform.Hosting.Orchestration;
using McpPlatform.Hosting.Processes;

namespace McpPlatform.Hosting.Infrastructure;

/// <summary>
/// A data server run as one process (a local binary, or a container client in the foreground) on
/// one loopback port, with a password and a data folder kept in the state directory.
/// </summary>
internal abstract class ServerRun(IResource resource, OrchestratorContext context) : ResourceRun(resource, context)
{
    protected int Port { get; private set; }

    protected string Password { get; private set; } = string.Empty;

    protected ManagedProcess? Process { get; set; }

    protected ResourceLog? Log { get; private set; }

    protected string DataRoot => Path.Combine(Context.Options.StateDirectory, Resource.Name);

    protected string PortText => Port.ToString(CultureInfo.InvariantCulture);

    /// <summary>The signal that asks the server for a clean shutdown.</summary>
    protected abstract int StopSignal { get; }

    private string? ContainerName { get; set; }

    public override IReadOnlyDictionary<string, IReadOnlyList<string>> Endpoints =>
        Port == 0
            ? new Dictionary<string, IReadOnlyList<string>>()
            : new Dictionary<string, IReadOnlyList<string>> { ["tcp"] = [$"tcp://127.0.0.1:{PortText}"] };

    public override IReadOnlyList<int> Pids => Process is null ? [] : [Process.Pid];

    public override async Task StopAsync()
    {
        if (Process is null)
        {
            return;
        }
        SetState(ResourceState.Stopping);
        await Process.StopAsync(StopSignal, Context.Options.ShutdownGrace);
        if (ContainerName is not null)
        {
            Context.ContainerEngine?.ForceRemove(ContainerName); // in case the client died before the container
        }
        SetState(ResourceState.Stopped);
        Log?.Dispose();
    }

    /// <summary>Chooses the port and loads (or creates) the password kept for this server.</summary>
    protected void AllocatePortAndPassword()
    {
        Port = PortAllocator.Next();
        Password = Secrets.LoadOrCreate(Path.Combine(DataRoot, "password"));
    }

    protected void OpenLog() => Log = Context.OpenLog(Resource.Name);

    /// <summary>Runs <paramref name="image"/> in the foreground (<c>run --rm</c>), so stopping the client stops the container.</summary>
    protected async Task StartContainerAsync(ContainerEngine engine, int containerPort, string image, IEnumerable<string> options, IEnumerable<string> command)
    {
        ContainerName = $"mcpplatform-{Resource.Name}-{PortText}";
        Process = await ManagedProcess.StartAsync(
            new ProcessSpec(engine.Client,
                ["run", "--rm", "--name", ContainerName, "-p", $"127.0.0.1:{PortText}:{containerPort.ToString(CultureInfo.InvariantCulture)}", .. options, image, .. command],
                DataRoot, new Dictionary<string, string?>()),
            Log!.Write);
    }
}
