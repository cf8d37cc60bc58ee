using System.Net.Http.Headers;
using McpPlatform.Hosting;
using McpPlatform.Gateway.Edge.Tests.Support;
using McpPlatform.TestSupport;
using Xunit;

namespace McpPlatform.Gateway.Edge.Tests.Mcp;

/// <summary>
/// The real MCP path as processes: redis-server, Dispatcher.Grpc, one Worker.Host (its default catalog: <c>echo</c>
/// and <c>conformance</c>, shared; plus <c>echo-session</c> and <c>conformance-session</c>, the samples in session
/// isolation; the conformance servers anonymous; the npm <c>everything</c> in session isolation with more slots) and two
/// Gateway.Edge replicas sharing Redis, started once for the MCP tests.
/// </summary>
public sealed class McpPlatformFixture : IAsyncLifetime
{
    public const string ApiKey = "sk_test_gateway_mcp_tests_0123456789abcdef";

    private ServiceUnderTest? _service;

    public BufferedOutput Output { get; } = new();

    public ServiceUnderTest Service => _service!;

    /// <summary>Replica 0 of the gateway.</summary>
    public Uri Gateway => Replica(0);

    public Uri Replica(int replica) => _service!.App.GetEndpoint("gateway-edge", "http", replica);

    public Uri Endpoint(string server, int replica = 0) => new(Replica(replica), "/mcp/" + server);

    public async Task InitializeAsync()
    {
        _service = await ServiceUnderTest.StartAsync(Output, builder =>
        {
            var redis = builder.AddRedis("redis");
            var dispatcher = builder.AddProject("dispatcher", "Dispatcher.Grpc/Dispatcher.Grpc.csproj")
                .WithHttp2Endpoint("grpc")
                // A session silent this long, waiting for no answer, gives its slot to a new session that finds none
                // (default 1 min): short, so the conformance run below goes through conformance-session's 8 slots.
                .WithEnvironment("Dispatcher__SessionReclaimAfter", "00:00:05")
                .WithReference(redis).WaitFor(redis);
            builder.AddProject("worker-host", "Worker.Host/Worker.Host.csproj")
                .WithHttp2Endpoint("grpc")
                .WithReference(dispatcher).WaitFor(dispatcher)
                .WithEnvironment("Worker__Servers__echo-session__Command", "dotnet")
                .WithEnvironment("Worker__Servers__echo-session__Args__0", "{repo}/samples/EchoServer/bin/{configuration}/net10.0/EchoServer.dll")
                .WithEnvironment("Worker__Servers__echo-session__Isolation", "Session")
                // One process per open session until DELETE or idle: the test classes together hold more than a few at once.
                .WithEnvironment("Worker__Servers__echo-session__MaxSlots", "16")
                // EverythingTests, McpRemoteTests and InputRequiredTests open about twenty sessions of the default
                // catalog's everything (8 slots by default), and ended sessions' processes do not always go at once.
                .WithEnvironment("Worker__Servers__everything__MaxSlots", "24")
                .WithEnvironment("Worker__Servers__conformance-session__Command", "dotnet")
                .WithEnvironment("Worker__Servers__conformance-session__Args__0", "{repo}/samples/ConformanceServer/bin/{configuration}/net10.0/ConformanceServer.dll")
                .WithEnvironment("Worker__Servers__conformance-session__Isolation", "Session")
                // The conformance suite opens a session per scenario (30) and never deletes them: fewer slots than
                // scenarios, so the run also shows the slots of quiet sessions reclaimed through the real worker.
                .WithEnvironment("Worker__Servers__conformance-session__MaxSlots", "8");
            builder.AddProject("gateway-edge", "Gateway.Edge/Gateway.Edge.csproj")
                .WithReplicas(2)
                .WithReference(redis).WaitFor(redis)
                .WithReference(dispatcher).WaitFor(dispatcher)
                .WithEnvironment("Gateway__DevelopmentApiKey", ApiKey)
                .WithEnvironment("Gateway__AnonymousServers__0", "conformance")
                .WithEnvironment("Gateway__AnonymousServers__1", "conformance-session")
                .WithEnvironment("Gateway__Mcp__KeepAliveInterval", "00:00:01");
        });

        // The worker registers after it is ready: wait until both replicas list the servers.
        using var http = Client();
        foreach (var replica in new[] { 0, 1 })
        {
            await Eventually.UntilAsync(async () =>
            {
                var list = await http.GetStringAsync(new Uri(Replica(replica), "/mcp"));
                return list.Contains("\"echo\"", StringComparison.Ordinal) && list.Contains("\"echo-session\"", StringComparison.Ordinal) && list.Contains("\"conformance\"", StringComparison.Ordinal) && list.Contains("\"conformance-session\"", StringComparison.Ordinal);
            }, "the worker's servers listed by GET /mcp");
        }
    }

    /// <summary>An HttpClient with the development key.</summary>
    public HttpClient Client(bool authenticated = true)
    {
        var client = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        if (authenticated)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ApiKey);
        }

        return client;
    }

    public async Task DisposeAsync()
    {
        if (_service is not null)
        {
            await _service.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class McpPlatformCollection : ICollectionFixture<McpPlatformFixture>
{
    public const string Name = "mcp-platform";
}
