namespace McpPlatform.Hosting.ApplicationModel;

/// <summary>A PostgreSQL server: a container when an engine answers, else the local binaries.</summary>
public sealed class PostgresServerResource(string name) : IResourceWithConnectionString
{
    /// <inheritdoc />
    public string Name { get; } = name;

    /// <summary>The databases created on it at start.</summary>
    public List<PostgresDatabaseResource> Databases { get; } = [];

    /// <summary>An external server's connection string (RDS, a shared dev server): no local server is started.</summary>
    public string? ExternalConnectionString { get; internal set; }

    /// <summary>The container image used when a container engine is available.</summary>
    public string Image { get; internal set; } = "docker.io/library/postgres:15-alpine";

    /// <inheritdoc />
    public string? ConnectionString { get; internal set; }
}

/// <summary>A database on a <see cref="PostgresServerResource"/>; its connection string names the database.</summary>
public sealed class PostgresDatabaseResource(string name, string databaseName, PostgresServerResource server) : IResourceWithConnectionString
{
    /// <inheritdoc />
    public string Name { get; } = name;

    /// <summary>The database's name on the server.</summary>
    public string DatabaseName { get; } = databaseName;

    /// <summary>The server it lives on.</summary>
    public PostgresServerResource Server { get; } = server;

    /// <inheritdoc />
    public string? ConnectionString => Server.ConnectionString is { } server ? $"{server};Database={DatabaseName}" : null;
}
