namespace McpPlatform.Hosting.ApplicationModel;

/// <summary>A .NET project of this repository, run from its build output.</summary>
public sealed class ProjectResource(string name, string projectPath) : IResource
{
    /// <inheritdoc />
    public string Name { get; } = name;

    /// <summary>Absolute path of the <c>.csproj</c>.</summary>
    public string ProjectPath { get; } = projectPath;

    /// <summary>How many copies run; each gets its own ports and all are advertised to referencing resources.</summary>
    public int Replicas { get; internal set; } = 1;

    /// <summary>The endpoints every replica listens on.</summary>
    public List<EndpointAnnotation> Endpoints { get; } = [];

    /// <summary>Extra environment variables.</summary>
    public Dictionary<string, string> Environment { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Settings only deployments carry (not set under AppHost, where the service's development default applies), by
    /// name: a secret the deployment must supply, or a plain value with a default the deployment may override.
    /// </summary>
    public Dictionary<string, DeploymentSetting> DeploymentSettings { get; } = new(StringComparer.Ordinal);

    /// <summary>Extra command-line arguments.</summary>
    public List<string> Args { get; } = [];

    /// <summary>The resources whose addresses or connection strings this one receives.</summary>
    public List<IResource> References { get; } = [];

    /// <summary>The resources that must be ready before this one starts.</summary>
    public List<IResource> WaitsFor { get; } = [];

    /// <summary>The Dockerfile (relative to the repository root) that builds the project's image.</summary>
    public string Dockerfile { get; internal set; } = "docker/service.Dockerfile";

    /// <summary>True for the services reachable from outside (published ports, a load balancer).</summary>
    public bool IsExternal { get; internal set; }

    /// <summary>The health path polled for readiness.</summary>
    public string ReadinessPath { get; internal set; } = "/health/ready";
}
