namespace McpPlatform.Hosting.ApplicationModel;

/// <summary>A named part of the distributed application: a database server, a cache, a project.</summary>
public interface IResource
{
    /// <summary>The resource's name: unique, lower-case, used in settings (<c>services__{name}__…</c>) and logs.</summary>
    string Name { get; }
}

/// <summary>A resource that other resources reach through a connection string (<c>ConnectionStrings__{name}</c>).</summary>
public interface IResourceWithConnectionString : IResource
{
    /// <summary>The connection string once the resource has started; null before, or when the resource is absent.</summary>
    string? ConnectionString { get; }
}
