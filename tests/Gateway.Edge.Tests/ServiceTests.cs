using McpPlatform.Hosting;
using McpPlatform.TestSupport;
using Xunit.Abstractions;

namespace McpPlatform.Gateway.Edge.Tests;

public sealed class ServiceTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Gateway_ServesHealthAndMetrics_AndLogsJson()
    {
        await using var service = await ServiceUnderTest.StartAsync(output, builder =>
            builder.AddProject("gateway-edge", "Gateway.Edge/Gateway.Edge.csproj"));

        await ServiceAssertions.ServesHealthAndMetricsAsync(service.App.GetEndpoint("gateway-edge"));
        ServiceAssertions.LogsAreStructured(service.JsonLogLines("gateway-edge"));
    }
}
