using McpPlatform.Hosting;
using McpPlatform.TestSupport;
using Xunit.Abstractions;

namespace McpPlatform.Dispatcher.Grpc.Tests;

public sealed class ServiceTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Dispatcher_ServesHealthAndMetrics_OnItsHttpEndpoint_AndLogsJson()
    {
        await using var service = await ServiceUnderTest.StartAsync(output, builder =>
            builder.AddProject("dispatcher", "Dispatcher.Grpc/Dispatcher.Grpc.csproj").WithHttp2Endpoint("grpc"));

        await ServiceAssertions.ServesHealthAndMetricsAsync(service.App.GetEndpoint("dispatcher"));
        ServiceAssertions.LogsAreStructured(service.JsonLogLines("dispatcher"));
    }
}
