using Grpc.Health.V1;
using Grpc.Net.Client;
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

    [Fact]
    public async Task Dispatcher_GrpcEndpoint_AnswersTheStandardHealthCheckOverCleartextHttp2()
    {
        await using var service = await ServiceUnderTest.StartAsync(output, builder =>
            builder.AddProject("dispatcher", "Dispatcher.Grpc/Dispatcher.Grpc.csproj").WithHttp2Endpoint("grpc"));
        using var channel = GrpcChannel.ForAddress(service.App.GetEndpoint("dispatcher", "grpc"));
        var health = new Health.HealthClient(channel);

        var response = await health.CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(10));

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, response.Status);
    }
}
