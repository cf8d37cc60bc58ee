using System.Text;
using Google.Protobuf;
using Grpc.Core;
using McpPlatform.Contracts.Dispatch.V1;
using McpPlatform.Dispatcher.Grpc.Tests.Infrastructure;

namespace McpPlatform.Dispatcher.Grpc.Tests;

public sealed class BadInputTests
{
    [Fact]
    public async Task UnknownServer_IsNotFound()
    {
        await using var dispatcher = await DispatcherUnderTest.StartAsync();
        await using var worker = await TestWorker.StartAsync(dispatcher.Address, "worker-1", slots: 1);

        var error = await Assert.ThrowsAsync<RpcException>(() => Calls.RelayAsync(dispatcher.Dispatch, Calls.Tool(Calls.Route(server: "nope"), 1, "echo")));

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        Assert.Contains("'nope'", error.Status.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("no-route", "route is required")]
    [InlineData("no-server", "route.server is required")]
    [InlineData("empty", "message is required")]
    [InlineData("not-json", "message is not one JSON-RPC message")]
    [InlineData("batch", "message is not one JSON-RPC message")]
    [InlineData("no-id", "message has no id")]
    public async Task MalformedRelayRequest_IsInvalidArgument_WithWhatToFix(string shape, string expected)
    {
        await using var dispatcher = await DispatcherUnderTest.StartAsync();
        await using var worker = await TestWorker.StartAsync(dispatcher.Address, "worker-1", slots: 1);
        var request = Calls.Tool(Calls.Route(), 1, "echo");
        switch (shape)
        {
            case "no-route": request.Route = null; break;
            case "no-server": request.Route.Server = ""; break;
            case "empty": request.Message = ByteString.Empty; break;
            case "not-json": request.Message = ByteString.CopyFromUtf8("{\"jsonrpc\":\"2.0\",\"id\":1,"); break;
            case "batch": request.Message = ByteString.CopyFromUtf8("[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}]"); break;
            case "no-id": request.Message = ByteString.CopyFromUtf8("{\"jsonrpc\":\"2.0\",\"method\":\"ping\"}"); break;
        }

        var error = await Assert.ThrowsAsync<RpcException>(() => Calls.RelayAsync(dispatcher.Dispatch, request));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains(expected, error.Status.Detail, StringComparison.Ordinal);
        Assert.Empty(worker.Service.Started);
    }

    [Fact]
    public async Task BytesThatAreNotARelayRequest_FailOnlyThatCall()
    {
        await using var dispatcher = await DispatcherUnderTest.StartAsync();
        await using var worker = await TestWorker.StartAsync(dispatcher.Address, "worker-1", slots: 1);
        var raw = new Method<byte[], byte[]>(MethodType.ServerStreaming, "mcpplatform.dispatch.v1.Dispatch", "Relay", Marshallers.ByteArrayMarshaller, Marshallers.ByteArrayMarshaller);

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            using var call = dispatcher.Channel.CreateCallInvoker().AsyncServerStreamingCall(raw, null, new CallOptions(deadline: DateTime.UtcNow.AddSeconds(10)), Encoding.UTF8.GetBytes("\xff\xff\xff not protobuf"));
            await foreach (var _ in call.ResponseStream.ReadAllAsync())
            {
            }
        });
        var after = Assert.Single(await Calls.RelayAsync(dispatcher.Dispatch, Calls.Tool(Calls.Route(), 2, "echo"))).Result;

        Assert.Equal(StatusCode.Internal, error.StatusCode);
        Assert.Contains("\"result\"", after.Message.Text(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-a-lease")]
    [InlineData("0123456789abcdef01234567.%%%")]
    public async Task MalformedLeaseId_IsInvalidArgument(string leaseId)
    {
        await using var dispatcher = await DispatcherUnderTest.StartAsync();

        var renew = await Assert.ThrowsAsync<RpcException>(async () => await dispatcher.Dispatch.RenewLeaseAsync(new RenewLeaseRequest { LeaseId = leaseId }));
        var release = await Assert.ThrowsAsync<RpcException>(async () => await dispatcher.Dispatch.ReleaseLeaseAsync(new ReleaseLeaseRequest { LeaseId = leaseId }));

        Assert.Equal(StatusCode.InvalidArgument, renew.StatusCode);
        Assert.Equal(StatusCode.InvalidArgument, release.StatusCode);
    }

    [Fact]
    public async Task SessionWithoutOpenFirst_IsInvalidArgument()
    {
        await using var dispatcher = await DispatcherUnderTest.StartAsync();
        await using var worker = await TestWorker.StartAsync(dispatcher.Address, "worker-1", slots: 1);
        using var call = dispatcher.Dispatch.Session(deadline: DateTime.UtcNow.AddSeconds(10));

        await call.RequestStream.WriteAsync(new SessionClientFrame { Message = ByteString.CopyFromUtf8("{}") });
        await call.RequestStream.CompleteAsync();
        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
    }
}
