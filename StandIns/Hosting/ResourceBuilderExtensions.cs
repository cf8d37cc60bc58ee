using McpPlatform.Hosting.ApplicationModel;

namespace McpPlatform.Hosting;

/// <summary>Aspire's builder vocabulary: projects, endpoints, replicas, environment, references and waits.</summary>
public static class ResourceBuilderExtensions
{
    /// <summary>Adds a project of this repository (path relative to the repository root) with an <c>http</c> endpoint.</summary>
    public static IResourceBuilder<ProjectResource> AddProject(this DistributedApplicationBuilder builder, string name, string projectPath)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(projectPath);
        var fullPath = Path.GetFullPath(Path.Combine(builder.Options.RepositoryRoot, projectPath));
        if (!File.Exists(fullPath))
        {
            throw new ArgumentException($"Project file {fullPath} does not exist.", nameof(projectPath));
        }
        return builder.AddResource(new ProjectResource(name, fullPath)).WithHttpEndpoint();
    }

    /// <summary>Adds an HTTP/1.1 endpoint (REST, health, metrics, SSE).</summary>
    public static IResourceBuilder<ProjectResource> WithHttpEndpoint(this IResourceBuilder<ProjectResource> builder, string name = "http") =>
        builder.WithEndpoint(new EndpointAnnotation(name, EndpointProtocol.Http1));

    /// <summary>Adds a cleartext HTTP/2 endpoint (gRPC).</summary>
    public static IResourceBuilder<ProjectResource> WithHttp2Endpoint(this IResourceBuilder<ProjectResource> builder, string name = "grpc") =>
        builder.WithEndpoint(new EndpointAnnotation(name, EndpointProtocol.Http2));

    /// <summary>Runs <paramref name="replicas"/> copies; every reference lists them all.</summary>
    public static IResourceBuilder<ProjectResource> WithReplicas(this IResourceBuilder<ProjectResource> builder, int replicas)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentOutOfRangeException.ThrowIfLessThan(replicas, 1);
        builder.Resource.Replicas = replicas;
        return builder;
    }

    /// <summary>Marks the project as reachable from outside: a published port in compose, a load balancer on ECS.</summary>
    public static IResourceBuilder<ProjectResource> WithExternalHttpEndpoints(this IResourceBuilder<ProjectResource> builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Resource.IsExternal = true;
        return builder;
    }

    /// <summary>Builds the project's deployment image with another Dockerfile (relative to the repository root).</summary>
    public static IResourceBuilder<ProjectResource> WithDockerfile(this IResourceBuilder<ProjectResource> builder, string dockerfile)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(dockerfile);
        builder.Resource.Dockerfile = dockerfile;
        return builder;
    }

    /// <summary>Polls <paramref name="path"/> (default <c>/health/ready</c>) for readiness instead.</summary>
    public static IResourceBuilder<ProjectResource> WithHttpHealthCheck(this IResourceBuilder<ProjectResource> builder, string path)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        builder.Resource.ReadinessPath = path.StartsWith('/') ? path : "/" + path;
        return builder;
    }

    /// <summary>Sets an environment variable.</summary>
    public static IResourceBuilder<ProjectResource> WithEnvironment(this IResourceBuilder<ProjectResource> builder, string name, string value)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        builder.Resource.Environment[name] = value ?? throw new ArgumentNullException(nameof(value));
        return builder;
    }

    /// <summary>
    /// A secret every deployment must supply (compose: a required variable, e.g. from <c>.env</c>; ECS: Secrets
    /// Manager). Not set when AppHost runs the project locally, so the service's development default applies there.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithDeploymentSecret(this IResourceBuilder<ProjectResource> builder, string name)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        builder.Resource.DeploymentSettings[name] = new DeploymentSetting(true, null);
        return builder;
    }

    /// <summary>
    /// A plain setting of deployments, <paramref name="defaultValue"/> unless the deployment's variable overrides it.
    /// Not set when AppHost runs the project locally.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithDeploymentSetting(this IResourceBuilder<ProjectResource> builder, string name, string defaultValue)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(defaultValue);
        builder.Resource.DeploymentSettings[name] = new DeploymentSetting(false, defaultValue);
        return builder;
    }

    /// <summary>Adds command-line arguments.</summary>
    public static IResourceBuilder<ProjectResource> WithArgs(this IResourceBuilder<ProjectResource> builder, params string[] args)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Resource.Args.AddRange(args);
        return builder;
    }

    /// <summary>
    /// Hands <paramref name="source"/>'s address to the project: <c>ConnectionStrings__{name}</c> for a
    /// database or cache, <c>services__{name}__{endpoint}__{replica}</c> for a project.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithReference<T>(this IResourceBuilder<ProjectResource> builder, IResourceBuilder<T> source)
        where T : IResource
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(source);
        if (source.Resource is not (IResourceWithConnectionString or ProjectResource))
        {
            throw new ArgumentException($"'{source.Resource.Name}' has neither a connection string nor endpoints.", nameof(source));
        }
        builder.Resource.References.Add(source.Resource);
        return builder;
    }

    /// <summary>Starts the project only once <paramref name="dependency"/> is ready.</summary>
    public static IResourceBuilder<ProjectResource> WaitFor<T>(this IResourceBuilder<ProjectResource> builder, IResourceBuilder<T> dependency)
        where T : IResource
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(dependency);
        builder.Resource.WaitsFor.Add(dependency.Resource);
        return builder;
    }

    private static IResourceBuilder<ProjectResource> WithEndpoint(this IResourceBuilder<ProjectResource> builder, EndpointAnnotation endpoint)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (builder.Resource.Endpoints.Any(e => e.Name == endpoint.Name))
        {
            throw new InvalidOperationException($"'{builder.Resource.Name}' already has an endpoint named '{endpoint.Name}'.");
        }
        builder.Resource.Endpoints.Add(endpoint);
        return builder;
    }
}
