using System.Net;
using System.Net.Sockets;
using McpPlatform.Hosting;
using McpPlatform.TestSupport;
using Xunit.Abstractions;

namespace McpPlatform.Identity.Tests;

public sealed class ServiceTests(ITestOutputHelper output)
{
    [Fact]
    public async Task WithItsDatabase_IsReady_ServesHealthAndMetrics_AndLogsJson()
    {
        await using var service = await ServiceUnderTest.StartAsync(output, builder =>
        {
            var database = builder.AddPostgres("postgres").AddDatabase("identitydb");
            builder.AddProject("identity", "Identity/Identity.csproj").WithReference(database).WaitFor(database);
        });

        await ServiceAssertions.ServesHealthAndMetricsAsync(service.App.GetEndpoint("identity"));
        await ServiceAssertions.ReadinessCheckIsAsync(service.App.GetEndpoint("identity"), "postgres:identitydb", "Healthy");
        ServiceAssertions.LogsAreStructured(service.JsonLogLines("identity"));
    }

    [Fact]
    public async Task DatabaseUnreachable_IsLiveButNotReady()
    {
        await using var service = await ServiceUnderTest.StartAsync(output, builder =>
            builder.AddProject("identity", "Identity/Identity.csproj")
                .WithHttpHealthCheck("/health/live")
                .WithEnvironment("ConnectionStrings__identitydb", $"Host=127.0.0.1;Port={ClosedPort()};Username=postgres;Password=x;Timeout=2"));

        await ServiceAssertions.ReadinessCheckIsAsync(service.App.GetEndpoint("identity"), "postgres:identitydb", "Unhealthy");
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
