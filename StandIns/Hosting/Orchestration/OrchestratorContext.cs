using McpPlatform.Hosting.Console;
using McpPlatform.Hosting.Infrastructure;

namespace McpPlatform.Hosting.Orchestration;

/// <summary>What every resource run shares: options, the console view, the container engine.</summary>
internal sealed class OrchestratorContext(DistributedApplicationOptions options, IConsoleView view)
{
    private readonly Lazy<ContainerEngine?> _engine = new(() => options.UseContainers ? ContainerEngine.Detect() : null);

    public DistributedApplicationOptions Options { get; } = options;

    public IConsoleView View { get; } = view;

    /// <summary>A Docker or Podman engine that answers, or null.</summary>
    public ContainerEngine? ContainerEngine => _engine.Value;

    public event Action? Changed;

    public string LogDirectory => Path.Combine(Options.StateDirectory, "logs");

    public ResourceLog OpenLog(string name) => new(name, LogDirectory, View);

    public void OnChanged() => Changed?.Invoke();
}
