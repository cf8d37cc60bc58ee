using McpPlatform.Hosting;
using McpPlatform.Hosting.ApplicationModel;
using McpPlatform.TestSupport;
using Xunit.Abstractions;

namespace McpPlatform.Worker.Host.Tests.Infrastructure;

/// <summary>The real Worker.Host and Dispatcher.Grpc as processes from the testing builder, on random ports.</summary>
internal static class Services
{
    public static Task<ServiceUnderTest> DispatcherAsync(ITestOutputHelper output, params (string Name, string Value)[] settings) =>
        ServiceUnderTest.StartAsync(output, builder =>
        {
            var dispatcher = builder.AddProject("dispatcher", "Dispatcher.Grpc/Dispatcher.Grpc.csproj").WithHttp2Endpoint("grpc");
            foreach (var (name, value) in settings)
            {
                dispatcher.WithEnvironment(name, value);
            }
        });

    /// <summary>A worker with its default catalog plus <paramref name="settings"/>, registered with <paramref name="dispatcher"/> when given.</summary>
    public static Task<ServiceUnderTest> WorkerAsync(ITestOutputHelper output, string id, Uri? dispatcher, params (string Name, string Value)[] settings) =>
        ServiceUnderTest.StartAsync(output, builder =>
        {
            var worker = builder.AddProject("worker-host", "Worker.Host/Worker.Host.csproj").WithHttp2Endpoint("grpc").WithEnvironment("Worker__Id", id);
            if (dispatcher is not null)
            {
                worker.WithEnvironment("services__dispatcher__grpc__0", dispatcher.ToString());
            }

            foreach (var (name, value) in settings)
            {
                worker.WithEnvironment(name, value);
            }
        });

    public static Uri Grpc(this ServiceUnderTest service, string resource) => service.App.GetEndpoint(resource, "grpc");

    public static HttpClient Http(this ServiceUnderTest service, string resource) => new() { BaseAddress = service.App.GetEndpoint(resource, "http") };

    public static int Pid(this ServiceUnderTest service, string resource) => service.App.Resources.Single(r => r.Name == resource).Pids[0];
}
