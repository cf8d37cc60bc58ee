using System.Net;
using System.Net.Sockets;
using McpPlatform.Hosting;
using McpPlatform.Hosting.ApplicationModel;
using Xunit;
using Xunit.Abstractions;

namespace McpPlatform.TestSupport;

/// <summary>
/// What every service that owns a PostgreSQL database must do: be ready with it, and be live but
/// not ready without it. A service's test project derives one class from this and names itself.
/// </summary>
public abstract class DatabaseServiceTests(ITestOutputHelper output)
{
    /// <summary>The resource name, e.g. <c>access-api</c>.</summary>
    protected abstract string Resource { get; }

    /// <summary>The project path from the repository root.</summary>
    protected abstract string ProjectPath { get; }

    /// <summary>The database (and connection-string) name, e.g. <c>accessdb</c>.</summary>
    protected abstract string Database { get; }

    /// <summary>Adds the service's other endpoints and settings.</summary>
    protected virtual IResourceBuilder<ProjectResource> Configure(IResourceBuilder<ProjectResource> project) => project;

    [Fact]
    public async Task WithItsDatabase_IsReady_ServesHealthAndMetrics_AndLogsJson()
    {
        await using var service = await ServiceUnderTest.StartAsync(output, builder =>
        {
            var database = builder.AddPostgres("postgres").AddDatabase(Database);
            Configure(builder.AddProject(Resource, ProjectPath)).WithReference(database).WaitFor(database);
        });

        await ServiceAssertions.ServesHealthAndMetricsAsync(service.App.GetEndpoint(Resource));
        await ServiceAssertions.ReadinessCheckIsAsync(service.App.GetEndpoint(Resource), $"postgres:{Database}", "Healthy");
        ServiceAssertions.LogsAreStructured(service.JsonLogLines(Resource));
    }

    [Fact]
    public async Task DatabaseUnreachable_IsLiveButNotReady()
    {
        await using var service = await ServiceUnderTest.StartAsync(output, builder =>
            Configure(builder.AddProject(Resource, ProjectPath))
                .WithHttpHealthCheck("/health/live")
                .WithEnvironment($"ConnectionStrings__{Database}", $"Host=127.0.0.1;Port={ClosedPort()};Username=postgres;Password=x;Timeout=2"));

        await ServiceAssertions.ReadinessCheckIsAsync(service.App.GetEndpoint(Resource), $"postgres:{Database}", "Unhealthy");
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
