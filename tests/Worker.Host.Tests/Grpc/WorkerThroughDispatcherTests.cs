using System.Text.Json;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using McpPlatform.Contracts.Common.V1;
using McpPlatform.Contracts.Dispatch.V1;
using McpPlatform.Contracts.Worker.V1;
using McpPlatform.Hosting;
using McpPlatform.Hosting.ApplicationModel;
using McpPlatform.TestSupport;
using McpPlatform.Worker.Host.Tests.Infrastructure;
using Xunit.Abstractions;
using WorkerClient = McpPlatform.Contracts.Worker.V1.Worker.WorkerClient;

namespace McpPlatform.Worker.Host.Tests.Grpc;

/// <summary>
/// The real Worker.Host (default catalog: the echo sample over stdio) and the real Dispatcher.Grpc as processes on
/// random ports, started by the testing builder; the worker finds the dispatcher through services__dispatcher__grpc__0.
/// </summary>
public sealed class WorkerThroughDispatcherTests(ITestOutputHelper output)
{
    [Fact(Timeout = 60_000)]
    public async Task RelayThroughDispatcher_EchoCall_ReturnsTheEchoResult()
    {
        await using var dispatcher = await StartDispatcherAsync();
        await using var worker = await StartWorkerAsync("worker-relay", dispatcher);
        using var channel = GrpcChannel.ForAddress(dispatcher.App.GetEndpoint("dispatcher", "grpc"));
        var dispatch = new Dispatch.DispatchClient(channel);

        var result = await RelayWhenRegisteredAsync(dispatch, EchoCall(7, "hello through the dispatcher"));

        using var answer = JsonDocument.Parse(result.Message.Memory);
        Assert.Equal(7, answer.RootElement.GetProperty("id").GetInt32());
        Assert.Equal("hello through the dispatcher", answer.RootElement.GetProperty("result").GetProperty("content")[0].GetProperty("text").GetString());
        Assert.Equal("worker-relay", result.WorkerId);
    }

    [Fact(Timeout = 60_000)]
    public async Task StoppedWorker_IsDeregistered_DispatcherAnswersNoWorker()
    {
        await using var dispatcher = await StartDispatcherAsync();
        using var channel = GrpcChannel.ForAddress(dispatcher.App.GetEndpoint("dispatcher", "grpc"));
        var dispatch = new Dispatch.DispatchClient(channel);
        await using (var worker = await StartWorkerAsync("worker-stopping", dispatcher))
        {
            await RelayWhenRegisteredAsync(dispatch, EchoCall(1, "before the stop"));
        }

        // The worker is gone well before its missed heartbeats could expire it: only Deregister explains NO_WORKER now.
        var events = await RelayAsync(dispatch, EchoCall(2, "after the stop"));

        var busy = Assert.Single(events).Busy;
        Assert.NotNull(busy);
        Assert.Equal(Busy.Types.Reason.NoWorker, busy.Reason);
        var registry = new WorkerRegistry.WorkerRegistryClient(channel);
        var heartbeat = await registry.HeartbeatAsync(new HeartbeatRequest { WorkerId = "worker-stopping" }, deadline: DateTime.UtcNow.AddSeconds(10));
        Assert.False(heartbeat.Known);
    }

    [Fact(Timeout = 60_000)]
    public async Task ExecuteOnWorker_UnknownServer_IsNotFoundNamingTheServer()
    {
        await using var worker = await StartWorkerAloneAsync();
        using var channel = GrpcChannel.ForAddress(worker.App.GetEndpoint("worker-host", "grpc"));
        var client = new WorkerClient(channel);

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            using var call = client.Execute(
                new ExecuteRequest { Route = new Route { Server = "no-such-server", TenantId = "tenant-a" }, Message = EchoCall(1, "x").Message },
                deadline: DateTime.UtcNow.AddSeconds(20));
            await foreach (var _ in call.ResponseStream.ReadAllAsync())
            {
            }
        });

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        Assert.Contains("no-such-server", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact(Timeout = 60_000)]
    public async Task ExecuteOnWorker_EchoCall_StreamsTheResult()
    {
        await using var worker = await StartWorkerAloneAsync();
        using var channel = GrpcChannel.ForAddress(worker.App.GetEndpoint("worker-host", "grpc"));
        var client = new WorkerClient(channel);

        using var call = client.Execute(
            new ExecuteRequest { LeaseId = "test-lease", Route = new Route { Server = "echo", TenantId = "tenant-a" }, Message = EchoCall("a", "direct").Message },
            deadline: DateTime.UtcNow.AddSeconds(30));
        var events = new List<ExecuteEvent>();
        await foreach (var item in call.ResponseStream.ReadAllAsync())
        {
            events.Add(item);
        }

        var result = Assert.Single(events);
        using var answer = JsonDocument.Parse(result.Result.Memory);
        Assert.Equal("a", answer.RootElement.GetProperty("id").GetString());
        Assert.Equal("direct", answer.RootElement.GetProperty("result").GetProperty("content")[0].GetProperty("text").GetString());
    }

    [Fact(Timeout = 60_000)]
    public async Task SessionOnWorker_OpenInitializeClose_RelaysTheHandshakeAndEnds()
    {
        await using var worker = await StartWorkerAloneAsync(worker => worker
            .WithEnvironment("Worker__Servers__echo-session__Command", "dotnet")
            .WithEnvironment("Worker__Servers__echo-session__Args__0", TestPool.SampleDll("EchoServer"))
            .WithEnvironment("Worker__Servers__echo-session__Isolation", "Session"));
        using var channel = GrpcChannel.ForAddress(worker.App.GetEndpoint("worker-host", "grpc"));
        using var call = new WorkerClient(channel).Session(deadline: DateTime.UtcNow.AddSeconds(30));
        var route = new Route { Server = "echo-session", TenantId = "tenant-a", SessionId = "session-1" };
        var initialize = """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"test","version":"1"}}}""";

        await call.RequestStream.WriteAsync(new WorkerSessionClientFrame { Open = new WorkerSessionOpen { LeaseId = "test-lease", Route = route } });
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        Assert.True(call.ResponseStream.Current.Opened);
        await call.RequestStream.WriteAsync(new WorkerSessionClientFrame { Message = ByteString.CopyFromUtf8(initialize) });
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        using (var answer = JsonDocument.Parse(call.ResponseStream.Current.Message.Memory))
        {
            Assert.Equal(1, answer.RootElement.GetProperty("id").GetInt32());
            Assert.True(answer.RootElement.GetProperty("result").TryGetProperty("serverInfo", out _));
        }

        await call.RequestStream.WriteAsync(new WorkerSessionClientFrame { CloseReason = "done" });
        await call.RequestStream.CompleteAsync();

        Assert.False(await call.ResponseStream.MoveNext(CancellationToken.None));
    }

    /// <summary>A worker without a dispatcher (it logs that it does not register), with its default catalog.</summary>
    private Task<ServiceUnderTest> StartWorkerAloneAsync(Action<IResourceBuilder<ProjectResource>>? configure = null) => ServiceUnderTest.StartAsync(output, builder =>
    {
        var worker = builder.AddProject("worker-host", "Worker.Host/Worker.Host.csproj").WithHttp2Endpoint("grpc");
        configure?.Invoke(worker);
    });

    private Task<ServiceUnderTest> StartDispatcherAsync() => ServiceUnderTest.StartAsync(output, builder =>
        builder.AddProject("dispatcher", "Dispatcher.Grpc/Dispatcher.Grpc.csproj").WithHttp2Endpoint("grpc"));

    private Task<ServiceUnderTest> StartWorkerAsync(string id, ServiceUnderTest dispatcher) => ServiceUnderTest.StartAsync(output, builder =>
        builder.AddProject("worker-host", "Worker.Host/Worker.Host.csproj").WithHttp2Endpoint("grpc")
            .WithEnvironment("Worker__Id", id)
            .WithEnvironment("services__dispatcher__grpc__0", dispatcher.App.GetEndpoint("dispatcher", "grpc").ToString()));

    /// <summary>
    /// Relays until the worker's registration reached the dispatcher (the worker is ready before it registers):
    /// NOT_FOUND and NO_WORKER are the only answers that mean "not registered yet".
    /// </summary>
    private static async Task<RelayResult> RelayWhenRegisteredAsync(Dispatch.DispatchClient dispatch, RelayRequest request)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
        var limit = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            try
            {
                var events = await RelayAsync(dispatch, request);
                var last = events[^1];
                if (last.EventCase == RelayEvent.EventOneofCase.Result)
                {
                    return last.Result;
                }

                Assert.Equal(Busy.Types.Reason.NoWorker, last.Busy.Reason);
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.NotFound)
            {
            }

            Assert.True(DateTime.UtcNow < limit, "The worker did not register with the dispatcher within 20 s.");
            await timer.WaitForNextTickAsync();
        }
    }

    private static async Task<List<RelayEvent>> RelayAsync(Dispatch.DispatchClient dispatch, RelayRequest request)
    {
        using var call = dispatch.Relay(request, deadline: DateTime.UtcNow.AddSeconds(30));
        var events = new List<RelayEvent>();
        await foreach (var item in call.ResponseStream.ReadAllAsync())
        {
            events.Add(item);
        }

        return events;
    }

    private static RelayRequest EchoCall(object id, string text) => new()
    {
        Route = new Route { Server = "echo", TenantId = "tenant-a", PrincipalId = "user-a", SessionId = "session-a", ProtocolVersion = "2025-06-18", PlanId = "pro" },
        Message = ByteString.CopyFrom(TestPool.Call(id, "echo", new { text })),
        Method = "tools/call",
        Tool = "echo",
    };
}
