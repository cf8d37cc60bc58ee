using McpPlatform.Hosting.ApplicationModel;

namespace McpPlatform.Hosting;

/// <summary>PostgreSQL and Redis, as Aspire.Hosting.PostgreSQL and Aspire.Hosting.Redis add them.</summary>
public static class InfrastructureBuilderExtensions
{
    /// <summary>
    /// Adds a PostgreSQL server. When <c>ConnectionStrings__{name}</c> is set in the orchestrator's
    /// environment (RDS, a shared server), that server is used and nothing is started.
    /// </summary>
    public static IResourceBuilder<PostgresServerResource> AddPostgres(this DistributedApplicationBuilder builder, string name)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var server = new PostgresServerResource(name) { ExternalConnectionString = External(name) };
        return builder.AddResource(server);
    }

    /// <summary>Adds a database, created on the server at start when it does not exist.</summary>
    public static IResourceBuilder<PostgresDatabaseResource> AddDatabase(
        this IResourceBuilder<PostgresServerResource> builder, string name, string? databaseName = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var database = new PostgresDatabaseResource(name, databaseName ?? name, builder.Resource);
        builder.Resource.Databases.Add(database);
        return builder.ApplicationBuilder.AddResource(database);
    }

    /// <summary>
    /// Adds a Redis server. <c>ConnectionStrings__{name}</c> in the orchestrator's environment
    /// (ElastiCache) is used as is; with neither an engine nor <c>redis-server</c>, Redis is absent.
    /// </summary>
    public static IResourceBuilder<RedisResource> AddRedis(this DistributedApplicationBuilder builder, string name)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return builder.AddResource(new RedisResource(name) { ExternalConnectionString = External(name) });
    }

    private static string? External(string name) =>
        Environment.GetEnvironmentVariable($"ConnectionStrings__{name}") is { Length: > 0 } value ? value : null;
}
