using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using McpPlatform.ServiceDefaults.Data;
using McpPlatform.ServiceDefaults.Tests.Infrastructure;

namespace McpPlatform.ServiceDefaults.Tests.Health;

public sealed class HealthEndpointTests
{
    [Fact]
    public async Task DatabaseDown_ReadyIs503NamingTheCheck_LiveIs200()
    {
        await using var service = await TestService.StartAsync(
            "health-test",
            _ => { },
            new Dictionary<string, string?> { ["ConnectionStrings:testdb"] = $"Host=127.0.0.1;Port={ClosedPort()};Username=x;Password=y;Timeout=2" },
            builder => builder.AddNpgsqlDataSource("testdb"));
        using var http = new HttpClient { BaseAddress = service.Address };

        using var ready = await http.GetAsync("/health/ready");
        using var live = await http.GetAsync("/health/live");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        var report = JsonDocument.Parse(await ready.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("Unhealthy", report.GetProperty("status").GetString());
        var check = report.GetProperty("checks").GetProperty("postgres:testdb");
        Assert.Equal("Unhealthy", check.GetProperty("status").GetString());
        Assert.StartsWith("PostgreSQL did not answer", check.GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
    }

    [Fact]
    public async Task MissingConnectionString_FailsAtStartWithTheSettingToSet()
    {
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            TestService.StartAsync("health-test", _ => { }, configure: builder => builder.AddNpgsqlDataSource("absentdb")));

        Assert.Contains("ConnectionStrings__absentdb", failure.Message, StringComparison.Ordinal);
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
