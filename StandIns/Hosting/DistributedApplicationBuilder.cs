using System.Reflection;
using McpPlatform.Hosting.ApplicationModel;

namespace McpPlatform.Hosting;

/// <summary>
/// Builds the resource graph (Aspire's <c>IDistributedApplicationBuilder</c> shape): add resources,
/// wire them with <c>WithReference</c> and <c>WaitFor</c>, then <see cref="Build"/>.
/// </summary>
public sealed class DistributedApplicationBuilder
{
    private readonly List<IResource> _resources = [];

    /// <summary>Creates a builder with explicit options (the testing builder does this).</summary>
    public DistributedApplicationBuilder(DistributedApplicationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
    }

    /// <summary>How the application will run.</summary>
    public DistributedApplicationOptions Options { get; }

    /// <summary>Every resource added so far, in order.</summary>
    public IReadOnlyList<IResource> Resources => _resources;

    /// <summary>Extra top-level fields of the state file (for example the development credentials).</summary>
    public Dictionary<string, object?> StateFileFields { get; } = new(StringComparer.Ordinal);

    /// <summary>Adds a resource; names are unique.</summary>
    public IResourceBuilder<T> AddResource<T>(T resource)
        where T : IResource
    {
        ArgumentNullException.ThrowIfNull(resource);
        if (_resources.Any(r => string.Equals(r.Name, resource.Name, StringComparison.OrdinalIgnoreCase)))
        {
            throw new InvalidOperationException($"A resource named '{resource.Name}' already exists.");
        }
        _resources.Add(resource);
        return new ResourceBuilder<T>(this, resource);
    }

    /// <summary>Freezes the graph into an application that can be started.</summary>
    public DistributedApplication Build() => new(Options, [.. _resources], new Dictionary<string, object?>(StateFileFields));

    /// <summary>The configuration (Debug/Release) the calling assembly was built in, which is the one its projects were built in.</summary>
    public static string BuildConfigurationOf(Assembly assembly) =>
        assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration is { Length: > 0 } configuration ? configuration : "Debug";

    /// <summary>The directory holding <c>McpPlatform.sln</c>, searched upward from <paramref name="start"/>.</summary>
    public static string FindRepositoryRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "McpPlatform.sln")))
            {
                return dir.FullName;
            }
        }
        throw new DistributedApplicationException($"McpPlatform.sln was not found above {start}; run AppHost from the repository.");
    }

    private sealed class ResourceBuilder<T>(DistributedApplicationBuilder applicationBuilder, T resource) : IResourceBuilder<T>
        where T : IResource
    {
        public DistributedApplicationBuilder ApplicationBuilder { get; } = applicationBuilder;

        public T Resource { get; } = resource;
    }
}

/// <summary>A resource being configured.</summary>
public interface IResourceBuilder<out T>
    where T : IResource
{
    /// <summary>The builder the resource belongs to.</summary>
    DistributedApplicationBuilder ApplicationBuilder { get; }

    /// <summary>The resource.</summary>
    T Resource { get; }
}
