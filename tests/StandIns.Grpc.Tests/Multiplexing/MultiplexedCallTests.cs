using System.Collections.Concurrent;
using System.Diagnostics;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using McpPlatform.StandIns.Grpc.Multiplexing;
using McpPlatform.StandIns.Grpc.Tests.Infrastructure;
using McpPlatform.StandIns.Grpc.Tests.Protos;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace McpPlatform.StandIns.Grpc.Tests.Multiplexing;

/// <summary>
/// <see cref="MultiplexedClient{TRequestFrame, TEventFrame, TRequest, TEvent}"/> against <see cref="MultiplexedServer"/>
/// on our Kestrel server over real h2c: the test service's ServerStream calls carried by ServerStreamMux.
/// </summary>
public sealed class MultiplexedCallTests : IAsyncLifetime
{
    private GrpcTestServer _server = null!;
    private GrpcChannel _channel = null!;
    private MultiplexedClient<EchoMuxRequest, EchoMuxEvent, EchoRequest, EchoResponse> _mux = null!;

    public async Task InitializeAsync()
    {
        _server = await GrpcTestServer.StartAsync();
        (_channel, _mux) = Connect(_server.Address, streams: 1);
    }

    public async Task DisposeAsync()
    {
        _mux.Dispose();
        _channel.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task ManyConcurrentCalls_OnOneStream_EachGetsItsOwnEventsInOrder()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 200).Select(async i =>
        {
            using var call = _mux.Call(new EchoRequest { Payload = ByteString.CopyFromUtf8("call-" + i), ResponseCount = 1 + (i % 7) });
            var seen = new List<(int Index, string Payload)>();
            await foreach (var item in call.ResponseStream.ReadAllAsync())
            {
                seen.Add((item.Index, item.Payload.ToStringUtf8()));
            }

            return (i, seen, call.GetStatus().StatusCode);
        }));

        foreach (var (i, seen, status) in results)
        {
            Assert.Equal(StatusCode.OK, status);
            Assert.Equal(Enumerable.Range(0, 1 + (i % 7)).Select(n => (n, "call-" + i)), seen);
        }

        Assert.Equal(0, _mux.Pending);
    }

    [Fact]
    public async Task FailingCall_EndsOnlyItself_WithItsStatus()
    {
        using var slow = _mux.Call(new EchoRequest { Payload = ByteString.CopyFromUtf8("slow"), ResponseCount = 2, DelayMs = 300 });
        using var failing = _mux.Call(new EchoRequest { StatusCode = (int)StatusCode.FailedPrecondition, StatusMessage = "not now" });
        using var throwing = _mux.Call(new EchoRequest { ThrowMessage = "boom" });

        var failed = await Assert.ThrowsAsync<RpcException>(() => failing.ResponseStream.MoveNext(CancellationToken.None));
        var thrown = await Assert.ThrowsAsync<RpcException>(() => throwing.ResponseStream.MoveNext(CancellationToken.None));
        var events = await slow.ResponseStream.ReadAllAsync().ToListAsync();

        Assert.Equal((StatusCode.FailedPrecondition, "not now"), (failed.StatusCode, failed.Status.Detail));
        Assert.Equal((StatusCode.Internal, "Exception was thrown by handler."), (thrown.StatusCode, thrown.Status.Detail));
        Assert.Equal(2, events.Count);
    }

    [Fact]
    public async Task CancelledCall_IsCancelledOnTheServer_AndTheStreamGoesOn()
    {
        using var cts = new CancellationTokenSource();
        using var call = _mux.Call(new EchoRequest { DelayMs = 30_000, Key = "mux-cancel", ResponseCount = 1 }, cancellationToken: cts.Token);
        var reading = call.ResponseStream.MoveNext(CancellationToken.None);
        cts.Cancel();

        var ex = await Assert.ThrowsAsync<RpcException>(() => reading);
        var seen = await new Echo.EchoClient(_channel).AwaitCancelledAsync(new EchoRequest { Key = "mux-cancel" });
        using var next = _mux.Call(new EchoRequest { Payload = ByteString.CopyFromUtf8("after"), ResponseCount = 1 });

        Assert.Equal(StatusCode.Cancelled, ex.StatusCode);
        Assert.True(seen.Cancelled);
        Assert.Equal("after", (await next.ResponseStream.ReadAllAsync().SingleAsync()).Payload.ToStringUtf8());
    }

    [Fact]
    public async Task Deadline_EndsTheCallHereAndOnTheServer()
    {
        using var call = _mux.Call(new EchoRequest { DelayMs = 30_000, Key = "mux-deadline", ResponseCount = 1 }, deadline: DateTime.UtcNow.AddMilliseconds(300));

        var ex = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None));
        var seen = await new Echo.EchoClient(_channel).AwaitCancelledAsync(new EchoRequest { Key = "mux-deadline" });

        Assert.Equal(StatusCode.DeadlineExceeded, ex.StatusCode);
        Assert.True(seen.Cancelled);
    }

    [Fact]
    public async Task ServerDeadline_WithoutTheClientsTimer_IsDeadlineExceeded()
    {
        using var call = new Echo.EchoClient(_channel).ServerStreamMux();
        var start = new EchoMuxRequest { CallId = 7, Start = new EchoRequest { DelayMs = 30_000, ResponseCount = 1 }, Context = new() { Timeout = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(TimeSpan.FromMilliseconds(200)) } };
        await call.RequestStream.WriteAsync(start);

        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Equal((7UL, StatusCode.DeadlineExceeded), (call.ResponseStream.Current.CallId, (StatusCode)call.ResponseStream.Current.End.StatusCode));
        await call.RequestStream.CompleteAsync();
    }

    [Fact]
    public async Task MalformedFrames_GetAnEndFrameEach_AndTheStreamKeepsWorking()
    {
        using var call = new Echo.EchoClient(_channel).ServerStreamMux();
        await call.RequestStream.WriteAsync(new EchoMuxRequest { CallId = 0, Start = new EchoRequest { ResponseCount = 1 } });
        await call.RequestStream.WriteAsync(new EchoMuxRequest { CallId = 5 });
        await call.RequestStream.WriteAsync(new EchoMuxRequest { CallId = 6, Start = new EchoRequest { DelayMs = 30_000, ResponseCount = 1 } });
        await call.RequestStream.WriteAsync(new EchoMuxRequest { CallId = 6, Start = new EchoRequest { ResponseCount = 1 } });
        await call.RequestStream.WriteAsync(new EchoMuxRequest { CallId = 99, Cancel = new() { Reason = "never started" } });
        await call.RequestStream.WriteAsync(new EchoMuxRequest { CallId = 8, Start = new EchoRequest { Payload = ByteString.CopyFromUtf8("fine"), ResponseCount = 1 } });

        var frames = new List<EchoMuxEvent>();
        while (!frames.Any(f => f.CallId == 8 && f.FrameCase == EchoMuxEvent.FrameOneofCase.End) && await call.ResponseStream.MoveNext(CancellationToken.None))
        {
            frames.Add(call.ResponseStream.Current);
        }

        await call.RequestStream.CompleteAsync();
        Assert.Equal(StatusCode.InvalidArgument, (StatusCode)frames.Single(f => f.CallId == 0).End.StatusCode);
        Assert.Equal(StatusCode.InvalidArgument, (StatusCode)frames.Single(f => f.CallId == 5).End.StatusCode);
        Assert.Contains(frames, f => f.CallId == 6 && (StatusCode)f.End.StatusCode == StatusCode.InvalidArgument);
        Assert.DoesNotContain(frames, f => f.CallId == 99);
        Assert.Equal("fine", frames.Single(f => f.CallId == 8 && f.FrameCase == EchoMuxEvent.FrameOneofCase.Event).Event.Payload.ToStringUtf8());
        Assert.Equal(StatusCode.OK, (StatusCode)frames.Single(f => f.CallId == 8 && f.FrameCase == EchoMuxEvent.FrameOneofCase.End).End.StatusCode);
    }

    [Fact]
    public async Task BrokenStream_FailsPendingCallsUnavailable_AndTheNextCallReconnects()
    {
        var server = await GrpcTestServer.StartAsync();
        var port = server.Port;
        var (channel, mux) = Connect(server.Address, streams: 2);
        try
        {
            var pending = Enumerable.Range(0, 6).Select(_ => mux.Call(new EchoRequest { DelayMs = 30_000, ResponseCount = 1 })).ToList();
            var reads = pending.Select(c => c.ResponseStream.MoveNext(CancellationToken.None)).ToList();
            await server.AbortAsync();
            await server.DisposeAsync();

            foreach (var read in reads)
            {
                Assert.Equal(StatusCode.Unavailable, (await Assert.ThrowsAsync<RpcException>(() => read)).StatusCode);
            }

            using var refused = mux.Call(new EchoRequest { ResponseCount = 1 });
            var notStarted = await Assert.ThrowsAsync<RpcException>(() => refused.ResponseStream.MoveNext(CancellationToken.None));
            Assert.True(MuxStatus.IsNotStarted(notStarted.Status), notStarted.Status.Detail);

            server = await GrpcTestServer.StartAsync(port: port);
            using var next = mux.Call(new EchoRequest { Payload = ByteString.CopyFromUtf8("again"), ResponseCount = 1 });
            Assert.Equal("again", (await next.ResponseStream.ReadAllAsync().SingleAsync()).Payload.ToStringUtf8());
        }
        finally
        {
            mux.Dispose();
            channel.Dispose();
            await server.DisposeAsync();
        }
    }

    [Fact]
    public async Task GracefulStop_FinishesCallsInFlight_AndRefusesNewOnesAsNotStarted()
    {
        var server = await GrpcTestServer.StartAsync();
        var (channel, mux) = Connect(server.Address, streams: 1);
        try
        {
            using var inFlight = mux.Call(new EchoRequest { Payload = ByteString.CopyFromUtf8("kept"), DelayMs = 1500, ResponseCount = 1, Key = "mux-drain" });
            var read = inFlight.ResponseStream.ReadAllAsync().ToListAsync().AsTask();
            await server.Calls.WaitStartedAsync("mux-drain", TimeSpan.FromSeconds(10));
            var stopped = new TaskCompletionSource();
            server.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.Register(() => stopped.TrySetResult());
            var stopping = server.StopAsync();
            await stopped.Task;
            using var late = mux.Call(new EchoRequest { ResponseCount = 1 });

            var refused = await Assert.ThrowsAsync<RpcException>(() => late.ResponseStream.MoveNext(CancellationToken.None));
            Assert.Equal("kept", (await read).Single().Payload.ToStringUtf8());
            Assert.True(MuxStatus.IsNotStarted(refused.Status), refused.Status.Detail);
            await stopping;
        }
        finally
        {
            mux.Dispose();
            channel.Dispose();
            await server.DisposeAsync();
        }
    }

    [Fact]
    public async Task EachCall_GetsAServerSpan_InTheCallersTrace()
    {
        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name is "McpPlatform.Grpc" or "test",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        using var source = new ActivitySource("test");
        using var parent = source.StartActivity("caller")!;

        using (var call = _mux.Call(new EchoRequest { ResponseCount = 1 }))
        {
            await call.ResponseStream.ReadAllAsync().ToListAsync();
        }

        parent.Stop();
        Assert.Contains(spans, s => s.DisplayName == "mcpplatform.test.v1.Echo/ServerStream" && s.Kind == ActivityKind.Server && s.TraceId == parent.TraceId);
        Assert.Contains(spans, s => s.DisplayName == "mcpplatform.test.v1.Echo/ServerStream" && s.Kind == ActivityKind.Client && s.TraceId == parent.TraceId);
    }

    private static (GrpcChannel, MultiplexedClient<EchoMuxRequest, EchoMuxEvent, EchoRequest, EchoResponse>) Connect(Uri address, int streams)
    {
        var channel = GrpcChannel.ForAddress(address);
        var client = new Echo.EchoClient(channel);
        return (channel, new MultiplexedClient<EchoMuxRequest, EchoMuxEvent, EchoRequest, EchoResponse>(
            o => client.ServerStreamMux(o),
            new MultiplexedClientOptions { StreamsPerTarget = streams, CallName = "mcpplatform.test.v1.Echo/ServerStream" }));
    }
}
