using System.Net;
using System.Net.Sockets;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using McpPlatform.StandIns.Grpc.Multiplexing;
using McpPlatform.StandIns.Grpc.Tests.Infrastructure;
using McpPlatform.StandIns.Grpc.Tests.Protos;

namespace McpPlatform.StandIns.Grpc.Tests.Interop;

/// <summary>Our client (GrpcChannel + generated stubs) calls a real @grpc/grpc-js server.</summary>
public sealed class OurClientToGrpcJsServerTests(GrpcJsServerFixture node) : IClassFixture<GrpcJsServerFixture>, IDisposable
{
    private readonly GrpcChannel _channel = GrpcChannel.ForAddress(node.Address, new GrpcChannelOptions { MaxReceiveMessageSize = 32 * 1024 * 1024 });

    private Echo.EchoClient Client => new(_channel);

    public void Dispose() => _channel.Dispose();

    [Fact]
    public async Task Multiplexed_ConcurrentCallsOnOneStream_EachGetsItsEventsAndStatus_CancelAndDeadlineReachThePeer()
    {
        using var mux = new MultiplexedClient<EchoMuxRequest, EchoMuxEvent, EchoRequest, EchoResponse>(
            o => Client.ServerStreamMux(o), new MultiplexedClientOptions { StreamsPerTarget = 1, CallName = "mcpplatform.test.v1.Echo/ServerStream" });

        var answers = await Task.WhenAll(Enumerable.Range(1, 24).Select(async n =>
        {
            using var call = mux.Call(new EchoRequest { Payload = ByteString.CopyFromUtf8($"call {n}"), ResponseCount = n % 5 + 1 }, DateTime.UtcNow.AddSeconds(30));
            var events = await call.ResponseStream.ReadAllAsync().ToListAsync();
            return (n, events, call.GetStatus());
        }));
        foreach (var (n, events, status) in answers)
        {
            Assert.Equal(StatusCode.OK, status.StatusCode);
            Assert.Equal(Enumerable.Range(0, n % 5 + 1), events.Select(e => e.Index));
            Assert.All(events, e => Assert.Equal($"call {n}", e.Payload.ToStringUtf8()));
        }

        using (var failing = mux.Call(new EchoRequest { StatusCode = 9, StatusMessage = "precondition failed ✓" }))
        {
            var error = await Assert.ThrowsAsync<RpcException>(() => failing.ResponseStream.ReadAllAsync().ToListAsync().AsTask());
            Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
            Assert.Equal("precondition failed ✓", error.Status.Detail);
        }

        using (var late = mux.Call(new EchoRequest { DelayMs = 20_000, ResponseCount = 1, Key = "ours-mux-deadline" }, DateTime.UtcNow.AddMilliseconds(300)))
        {
            var error = await Assert.ThrowsAsync<RpcException>(() => late.ResponseStream.ReadAllAsync().ToListAsync().AsTask());
            Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        }

        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        using (var cancelled = mux.Call(new EchoRequest { DelayMs = 20_000, ResponseCount = 1, Key = "ours-mux-cancel" }, DateTime.UtcNow.AddSeconds(30), cancellation.Token))
        {
            var error = await Assert.ThrowsAsync<RpcException>(() => cancelled.ResponseStream.ReadAllAsync().ToListAsync().AsTask());
            Assert.Equal(StatusCode.Cancelled, error.StatusCode);
        }

        // The peer saw both: the deadline travelled in the start frame, the cancel as a frame of its own.
        Assert.True((await Client.AwaitCancelledAsync(new EchoRequest { Key = "ours-mux-deadline" })).Cancelled);
        Assert.True((await Client.AwaitCancelledAsync(new EchoRequest { Key = "ours-mux-cancel" })).Cancelled);

        // The stream still carries new calls after all that.
        using var after = mux.Call(new EchoRequest { Payload = ByteString.CopyFromUtf8("after"), ResponseCount = 1 });
        Assert.Equal("after", Assert.Single(await after.ResponseStream.ReadAllAsync().ToListAsync()).Payload.ToStringUtf8());
    }

    [Fact]
    public async Task Unary_EchoesPayloadAndMetadataIncludingBinary()
    {
        var headers = new Metadata { { "x-ascii", "hello" }, { "x-data-bin", new byte[] { 0, 1, 2, 255 } } };
        using var call = Client.UnaryAsync(new EchoRequest { Payload = ByteString.CopyFromUtf8("ping"), EchoMetadata = true }, headers);

        var response = await call;
        var responseHeaders = await call.ResponseHeadersAsync;

        Assert.Equal("ping", response.Payload.ToStringUtf8());
        Assert.Equal("hello", responseHeaders.GetValue("x-ascii"));
        Assert.Equal(new byte[] { 0, 1, 2, 255 }, responseHeaders.GetValueBytes("x-data-bin"));
        Assert.Equal("hello", call.GetTrailers().GetValue("x-ascii"));
        Assert.Equal(new byte[] { 0, 1, 2, 255 }, call.GetTrailers().GetValueBytes("x-data-bin"));
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
    }

    [Fact]
    public async Task ServerStreaming_DeliversEveryMessageInOrder()
    {
        using var call = Client.ServerStream(new EchoRequest { ResponseCount = 5 });

        var indexes = await call.ResponseStream.ReadAllAsync().Select(r => r.Index).ToListAsync();

        Assert.Equal([0, 1, 2, 3, 4], indexes);
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
    }

    [Fact]
    public async Task ClientStreaming_CountsEveryMessage()
    {
        using var call = Client.ClientStream();
        for (var i = 0; i < 10; i++)
        {
            await call.RequestStream.WriteAsync(new EchoRequest { Payload = ByteString.CopyFrom(new byte[1000]) });
        }

        await call.RequestStream.CompleteAsync();
        var response = await call;

        Assert.Equal(10, response.Count);
        Assert.Equal(10_000, response.TotalBytes);
    }

    [Fact]
    public async Task Bidirectional_PingPongsAndEndsCleanly()
    {
        using var call = Client.Bidi();
        for (var i = 0; i < 10; i++)
        {
            await call.RequestStream.WriteAsync(new EchoRequest { Payload = ByteString.CopyFromUtf8("m" + i) });
            Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
            Assert.Equal("m" + i, call.ResponseStream.Current.Payload.ToStringUtf8());
        }

        await call.RequestStream.CompleteAsync();

        Assert.False(await call.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
    }

    [Fact]
    public async Task ErrorStatus_ArrivesWithDecodedMessageAndTrailers()
    {
        const string message = "precondition failed: 50% ünïcode ✓\nline2";

        var ex = await Assert.ThrowsAsync<RpcException>(async () => await Client.UnaryAsync(new EchoRequest { StatusCode = 9, StatusMessage = message }));

        Assert.Equal(StatusCode.FailedPrecondition, ex.StatusCode);
        Assert.Equal(message, ex.Status.Detail);
        Assert.Equal("detail", ex.Trailers.GetValue("x-error-detail"));
    }

    [Fact]
    public async Task Deadline_FailsCallAndReachesServer()
    {
        var key = "dotnet-deadline-" + Guid.NewGuid();

        var ex = await Assert.ThrowsAsync<RpcException>(async () =>
            await Client.UnaryAsync(new EchoRequest { DelayMs = 20_000, Key = key }, deadline: DateTime.UtcNow.AddMilliseconds(1500)));

        Assert.Equal(StatusCode.DeadlineExceeded, ex.StatusCode);
        Assert.True((await Client.AwaitCancelledAsync(new EchoRequest { Key = key })).Cancelled);
    }

    [Fact]
    public async Task Cancellation_ResetsStreamAndServerSeesIt()
    {
        var key = "dotnet-cancel-" + Guid.NewGuid();
        using var cts = new CancellationTokenSource();
        using var call = Client.ServerStream(new EchoRequest { DelayMs = 20_000, Key = key, ResponseCount = 1 }, cancellationToken: cts.Token);
        await call.ResponseHeadersAsync;

        var read = call.ResponseStream.MoveNext(CancellationToken.None);
        cts.Cancel();
        var ex = await Assert.ThrowsAsync<RpcException>(() => read);

        Assert.Equal(StatusCode.Cancelled, ex.StatusCode);
        Assert.True((await Client.AwaitCancelledAsync(new EchoRequest { Key = key })).Cancelled);
    }

    [Fact]
    public async Task LargeMessages_OfFiveAndSixMiB_RoundTripIntact()
    {
        var payload = new byte[5 * 1024 * 1024];
        Random.Shared.NextBytes(payload);

        var echoed = await Client.UnaryAsync(new EchoRequest { Payload = ByteString.CopyFrom(payload) });
        var big = await Client.UnaryAsync(new EchoRequest { ResponseSize = 6 * 1024 * 1024 });
        using var bidi = Client.Bidi();
        var writes = Task.Run(async () =>
        {
            for (var i = 0; i < 3; i++)
            {
                await bidi.RequestStream.WriteAsync(new EchoRequest { Payload = ByteString.CopyFrom(payload) });
            }

            await bidi.RequestStream.CompleteAsync();
        });
        var received = await bidi.ResponseStream.ReadAllAsync().Select(r => (long)r.Payload.Length).SumAsync();
        await writes;

        Assert.True(echoed.Payload.Span.SequenceEqual(payload));
        Assert.Equal(6 * 1024 * 1024, big.Payload.Length);
        Assert.Equal(3L * payload.Length, received);
    }

    [Fact]
    public async Task ResponseOverReceiveLimit_IsResourceExhausted()
    {
        using var channel = GrpcChannel.ForAddress(node.Address);

        var ex = await Assert.ThrowsAsync<RpcException>(async () =>
            await new Echo.EchoClient(channel).UnaryAsync(new EchoRequest { ResponseSize = 5 * 1024 * 1024 }));

        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
    }

    [Fact]
    public async Task TwoHundredConcurrentStreams_AllComplete()
    {
        var client = Client;
        var completed = await Task.WhenAll(Enumerable.Range(0, 200).Select(async n =>
        {
            using var call = client.Bidi();
            for (var i = 0; i < 5; i++)
            {
                await call.RequestStream.WriteAsync(new EchoRequest { Payload = ByteString.CopyFromUtf8($"{n}:{i}") });
                Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
                Assert.Equal($"{n}:{i}", call.ResponseStream.Current.Payload.ToStringUtf8());
            }

            await call.RequestStream.CompleteAsync();
            return !await call.ResponseStream.MoveNext(CancellationToken.None);
        }));

        Assert.All(completed, Assert.True);
    }

    [Fact]
    public async Task UnknownMethod_IsUnimplemented()
    {
        var method = new Method<byte[], byte[]>(MethodType.Unary, "mcpplatform.test.v1.Echo", "Nope", Marshallers.ByteArrayMarshaller, Marshallers.ByteArrayMarshaller);

        var ex = await Assert.ThrowsAsync<RpcException>(async () => await _channel.CreateCallInvoker().AsyncUnaryCall(method, null, default, []));

        Assert.Equal(StatusCode.Unimplemented, ex.StatusCode);
    }

    [Fact]
    public async Task RoundRobin_SkipsAnAddressThatRefusesConnections()
    {
        using var channel = GrpcChannel.ForAddresses([new Uri($"http://127.0.0.1:{ClosedPort()}"), node.Address]);
        var client = new Echo.EchoClient(channel);

        for (var i = 0; i < 10; i++)
        {
            var response = await client.UnaryAsync(new EchoRequest { Payload = ByteString.CopyFromUtf8("rr") });
            Assert.Equal("rr", response.Payload.ToStringUtf8());
        }
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
