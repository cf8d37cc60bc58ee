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
}
