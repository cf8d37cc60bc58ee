using System.Net;
using System.Net.Sockets;
using McpPlatform.Hosting;
using McpPlatform.TestSupport;
using Xunit.Abstractions;

namespace McpPlatform.Access.Api.Tests;

public sealed class ServiceTests(ITestOutputHelper output)
{
    [Fact]
    public async Task WithItsDatabase_IsReady_ServesHealthAndMetrics_AndLogsJson()
    {
        await using var service = await ServiceUnderTest.StartAsync(output, builder =>
        {
            var database = builder.AddPostgres("postgres").AddDatabase("accessdb");
            builder.AddProject("access-api", "Access.Api/Access.Api.csproj").WithHttp2Endpoint("grpc").WithReference(database).WaitFor(database);
        });

        await ServiceAssertions.ServesHealthAndMetricsAsync(service.App.GetEndpoint("access-api"));
        await ServiceAssertions.ReadinessCheckIsAsync(service.App.GetEndpoint("access-api"), "postgres:accessdb", "Healthy");
        ServiceAssertions.LogsAreStructured(service.JsonLogLines("access-api"));
    }

    [Fact]
    public async Task DatabaseUnreachable_IsLiveButNotReady()
    {
        await using var service = await ServiceUnderTest.StartAsync(output, builder =>
            builder.AddProject("access-api", "Access.Api/Access.Api.csproj")
                .WithHttpHealthCheck("/health/live")
                .WithEnvironment("ConnectionStrings__accessdb", $"Host=127.0.0.1;Port={ClosedPort()};Username=postgres;Password=x;Timeout=2"));

        await ServiceAssertions.ReadinessCheckIsAsync(service.App.GetEndpoint("access-api"), "postgres:accessdb", "Unhealthy");
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
