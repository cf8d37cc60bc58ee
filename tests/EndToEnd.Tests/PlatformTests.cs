using System.Net;
using McpPlatform.AppHost;
using McpPlatform.Hosting.Orchestration;
using McpPlatform.TestSupport;
using Xunit.Abstractions;

namespace McpPlatform.EndToEnd.Tests;

/// <summary>The whole topology of AppHost/PlatformTopology.cs, started by the testing builder.</summary>
public sealed class PlatformTests(ITestOutputHelper output)
{
    [Fact]
    public async Task WholePlatform_WithTwoGatewayReplicas_EveryServiceAndReplicaReady()
    {
        await using var platform = await ServiceUnderTest.StartAsync(output, builder => builder.AddMcpPlatform(gatewayReplicas: 2));

        Assert.All(platform.App.Resources, r => Assert.True(r.State is ResourceState.Ready or ResourceState.Absent, $"{r.Name} is {r.State}"));
        var gateway = platform.App.Resources.Single(r => r.Name == "gateway-edge");
        Assert.Equal(2, gateway.Pids.Count);
        Assert.Equal(2, gateway.Endpoints["http"].Distinct().Count());
        using var http = new HttpClient();
        foreach (var replica in new[] { 0, 1 })
        {
            using var ready = await http.GetAsync(new Uri(platform.App.GetEndpoint("gateway-edge", "http", replica), "/health/ready"));
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        }
        foreach (var service in new[] { "access-api", "identity", "dispatcher", "worker-host", "gateway-edge" })
        {
            ServiceAssertions.LogsAreStructured(platform.JsonLogLines(service));
        }
    }
}
