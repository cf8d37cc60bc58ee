using System.Net;
using System.Text.Json;
using McpPlatform.AppHost.Tests.Infrastructure;
using McpPlatform.TestSupport;
using McpPlatform.Hosting;
using McpPlatform.Hosting.Orchestration;
using McpPlatform.Hosting.Testing;
using Xunit.Abstractions;

namespace McpPlatform.AppHost.Tests.Testing;

/// <summary>The testing builder starts part of the real topology on random ports and stops it on dispose.</summary>
public sealed class TestingBuilderTests(ITestOutputHelper output)
{
    [Fact]
    public async Task PartialTopology_StartsReady_AndDisposeStopsEverything()
    {
        var builder = DistributedApplicationTestingBuilder.Create(typeof(TestingBuilderTests).Assembly, output.WriteLine);
        var accessDb = builder.AddPostgres("postgres").AddDatabase("accessdb");
        builder.AddProject("access-api", "Access.Api/Access.Api.csproj")
            .WithHttp2Endpoint("grpc")
            .WithReference(accessDb).WaitFor(accessDb);

        IReadOnlyList<int> pids;
        await using (var app = builder.Build())
        {
            await app.StartAsync();
            Assert.All(app.Resources, r => Assert.Equal(ResourceState.Ready, r.State));

            using var http = new HttpClient();
            using var ready = await http.GetAsync(new Uri(app.GetEndpoint("access-api"), "/health/ready"));
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
            var report = JsonDocument.Parse(await ready.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal("Healthy", report.GetProperty("checks").GetProperty("postgres:accessdb").GetProperty("status").GetString());
            Assert.NotEqual(app.GetEndpoint("access-api", "http").Port, app.GetEndpoint("access-api", "grpc").Port);
            Assert.Contains("Database=accessdb", app.GetConnectionString("accessdb"), StringComparison.Ordinal);
            Assert.Throws<ArgumentException>(() => app.GetConnectionString("access-api"));
            Assert.Throws<ArgumentException>(() => app.GetEndpoint("access-api", "no-such-endpoint"));

            pids = app.Resources.SelectMany(r => r.Pids).ToArray();
            Assert.Equal(2, pids.Count);
        }
        Assert.Empty(ProcessTable.Survivors([.. pids]));
    }

    [Fact]
    public async Task ProjectThatCannotStart_FailsWithItsOwnMessage_AndStopsTheRest()
    {
        var builder = DistributedApplicationTestingBuilder.Create(typeof(TestingBuilderTests).Assembly, output.WriteLine);
        var redis = builder.AddRedis("redis");
        // Access.Api requires ConnectionStrings__accessdb: without it the service refuses to start.
        builder.AddProject("access-api", "Access.Api/Access.Api.csproj").WithReference(redis).WaitFor(redis);

        await using var app = builder.Build();
        var failure = await Assert.ThrowsAsync<DistributedApplicationException>(() => app.StartAsync());

        Assert.Contains("access-api", failure.Message, StringComparison.Ordinal);
        Assert.Contains("ConnectionStrings__accessdb", failure.Message, StringComparison.Ordinal);
        Assert.Empty(ProcessTable.Survivors([.. app.Resources.SelectMany(r => r.Pids)]));
    }

    [Fact]
    public async Task PortTakenBeforeTheProjectBindsIt_TheProjectIsStartedAgainOnNewPorts()
    {
        // A port chosen free can be taken before the service binds it; here the test takes it on purpose.
        using var squatter = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        squatter.Start();
        var taken = ((IPEndPoint)squatter.LocalEndpoint).Port;
        var lines = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var builder = DistributedApplicationTestingBuilder.Create(typeof(TestingBuilderTests).Assembly, line =>
        {
            lines.Enqueue(line);
            output.WriteLine(line);
        });
        builder.AddProject("dispatcher", "Dispatcher.Grpc/Dispatcher.Grpc.csproj").WithHttp2Endpoint("grpc");
        PortAllocator.ForceNext(taken);

        IReadOnlyList<int> pids;
        await using (var app = builder.Build())
        {
            await app.StartAsync();

            Assert.All(app.Resources, r => Assert.Equal(ResourceState.Ready, r.State));
            var http = app.GetEndpoint("dispatcher", "http");
            Assert.NotEqual(taken, http.Port);
            using var client = new HttpClient();
            using var ready = await client.GetAsync(new Uri(http, "/health/ready"));
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
            Assert.Contains(lines, l => l.Contains("address already in use", StringComparison.Ordinal));
            Assert.Contains(lines, l => l.Contains("starting it again on new ports", StringComparison.Ordinal));
            pids = app.Resources.SelectMany(r => r.Pids).ToArray();
        }
        Assert.Empty(ProcessTable.Survivors([.. pids]));
    }
}
