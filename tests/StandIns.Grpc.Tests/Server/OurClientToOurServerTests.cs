using Google.Protobuf;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.HealthCheck;
using Grpc.Net.Client;
using McpPlatform.StandIns.Grpc.Tests.Infrastructure;
using McpPlatform.StandIns.Grpc.Tests.Protos;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace McpPlatform.StandIns.Grpc.Tests.Server;

/// <summary>Behaviour of our server seen through our client: limits, errors, deadlines, health.</summary>
public sealed class OurClientToOurServerTests : IAsyncLifetime
{
    private GrpcTestServer _server = null!;
    private GrpcChannel _channel = null!;

    public async Task InitializeAsync()
    {
        _server = await GrpcTestServer.StartAsync();
        _channel = GrpcChannel.ForAddress(_server.Address, new GrpcChannelOptions { MaxReceiveMessageSize = null });
    }

    public async Task DisposeAsync()
    {
        _channel.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task RequestOverServerLimit_IsResourceExhausted()
    {
        await using var server = await GrpcTestServer.StartAsync(o => o.MaxReceiveMessageSize = 1024);
        using var channel = GrpcChannel.ForAddress(server.Address);

        var ex = await Assert.ThrowsAsync<RpcException>(async () =>
            await new Echo.EchoClient(channel).UnaryAsync(new EchoRequest { Payload = ByteString.CopyFrom(new byte[2048]) }));

        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
    }

    [Fact]
    public async Task RequestOverClientSendLimit_FailsBeforeSending()
    {
        using var channel = GrpcChannel.ForAddress(_server.Address, new GrpcChannelOptions { MaxSendMessageSize = 100 });

        var ex = await Assert.ThrowsAsync<RpcException>(async () =>
            await new Echo.EchoClient(channel).UnaryAsync(new EchoRequest { Payload = ByteString.CopyFrom(new byte[200]) }));

        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
    }

    [Fact]
    public async Task DetailedErrors_WhenEnabled_IncludeTheExceptionMessage()
    {
        await using var server = await GrpcTestServer.StartAsync(o => o.EnableDetailedErrors = true);
        using var channel = GrpcChannel.ForAddress(server.Address);

        var ex = await Assert.ThrowsAsync<RpcException>(async () =>
            await new Echo.EchoClient(channel).UnaryAsync(new EchoRequest { ThrowMessage = "boom" }));

        Assert.Equal(StatusCode.Internal, ex.StatusCode);
        Assert.Contains("boom", ex.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HandlerException_IsInternalWithoutItsMessageByDefault()
    {
        var ex = await Assert.ThrowsAsync<RpcException>(async () =>
            await new Echo.EchoClient(_channel).UnaryAsync(new EchoRequest { ThrowMessage = "secret" }));

        Assert.Equal(StatusCode.Internal, ex.StatusCode);
        Assert.DoesNotContain("secret", ex.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deadline_ReachesHandlerAndFailsCall()
    {
        var key = Guid.NewGuid().ToString();

        var ex = await Assert.ThrowsAsync<RpcException>(async () => await new Echo.EchoClient(_channel)
            .UnaryAsync(new EchoRequest { DelayMs = 20_000, Key = key }, deadline: DateTime.UtcNow.AddMilliseconds(1500)));

        Assert.Equal(StatusCode.DeadlineExceeded, ex.StatusCode);
        await _server.Calls.WaitAsync(key, TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task DisposingABidiCall_CancelsTheHandler()
    {
        var key = Guid.NewGuid().ToString();
        var call = new Echo.EchoClient(_channel).Bidi();
        await call.RequestStream.WriteAsync(new EchoRequest { DelayMs = 20_000, Key = key });
        await call.ResponseHeadersAsync;

        call.Dispose();

        await _server.Calls.WaitAsync(key, TimeSpan.FromSeconds(10));
        Assert.Equal(StatusCode.Cancelled, call.GetStatus().StatusCode);
    }

    [Fact]
    public async Task HealthWatch_SeesStatusChanges()
    {
        var health = _server.Services.GetRequiredService<HealthServiceImpl>();
        health.SetStatus("mcpplatform.test.v1.Echo", HealthCheckResponse.Types.ServingStatus.Serving);
        var client = new Health.HealthClient(_channel);
        using var watch = client.Watch(new HealthCheckRequest { Service = "mcpplatform.test.v1.Echo" });

        Assert.True(await watch.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, watch.ResponseStream.Current.Status);
        health.SetStatus("mcpplatform.test.v1.Echo", HealthCheckResponse.Types.ServingStatus.NotServing);
        Assert.True(await watch.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing, watch.ResponseStream.Current.Status);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing, (await client.CheckAsync(new HealthCheckRequest { Service = "mcpplatform.test.v1.Echo" })).Status);
    }

    [Fact]
    public async Task AspNetCoreHealthChecks_ArePublishedToTheGrpcHealthService()
    {
        await using var server = await GrpcTestServer.StartAsync(services: s =>
        {
            s.AddGrpcHealthChecks().AddCheck("broken", () => HealthCheckResult.Unhealthy("down"));
            s.Configure<HealthCheckPublisherOptions>(o => o.Delay = TimeSpan.Zero);
        });
        using var channel = GrpcChannel.ForAddress(server.Address);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        using var watch = new Health.HealthClient(channel).Watch(new HealthCheckRequest(), cancellationToken: cts.Token);

        var seen = new List<HealthCheckResponse.Types.ServingStatus>();
        while (!seen.Contains(HealthCheckResponse.Types.ServingStatus.NotServing) && await watch.ResponseStream.MoveNext(cts.Token))
        {
            seen.Add(watch.ResponseStream.Current.Status);
        }

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing, seen[^1]);
    }

    [Fact]
    public async Task MoreConcurrentStreamsThanKestrelAllowsPerConnection_AllComplete()
    {
        // Kestrel allows 100 streams per connection; the channel opens more connections instead of queueing.
        var client = new Echo.EchoClient(_channel);
        var calls = Enumerable.Range(0, 200).Select(_ => client.Bidi()).ToList();
        try
        {
            foreach (var call in calls)
            {
                await call.RequestStream.WriteAsync(new EchoRequest { Payload = ByteString.CopyFromUtf8("open") });
            }

            foreach (var call in calls)
            {
                Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
                await call.RequestStream.CompleteAsync();
                Assert.False(await call.ResponseStream.MoveNext(CancellationToken.None));
            }
        }
        finally
        {
            calls.ForEach(c => c.Dispose());
        }
    }

    [Fact]
    public void BlockingUnaryCall_Works()
    {
        var response = new Echo.EchoClient(_channel).Unary(new EchoRequest { Payload = ByteString.CopyFromUtf8("sync") });

        Assert.Equal("sync", response.Payload.ToStringUtf8());
    }

    [Fact]
    public async Task SlowReader_HoldsBackTheServerStream()
    {
        var counter = _server.Services.GetRequiredService<CallRecorder>();
        using var cts = new CancellationTokenSource();
        using var call = new Echo.EchoClient(_channel).ServerStream(
            new EchoRequest { ResponseCount = 2_000, ResponseSize = 64 * 1024, Key = "slow" }, cancellationToken: cts.Token);

        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        var written = await counter.WaitForQuietAsync("slow");

        // 2,000 x 64 KiB = 125 MiB were asked for; flow control must hold the writer to a few windows.
        Assert.InRange(written, 1, 200);
        cts.Cancel();
    }
}
