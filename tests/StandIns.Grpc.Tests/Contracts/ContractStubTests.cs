using System.Text;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using McpPlatform.Contracts.Access.V1;
using McpPlatform.Contracts.Common.V1;
using McpPlatform.Contracts.Dispatch.V1;
using McpPlatform.StandIns.Grpc.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;

namespace McpPlatform.StandIns.Grpc.Tests.Contracts;

/// <summary>The generated stubs of the platform contracts, served and called through this library.</summary>
public sealed class ContractStubTests : IAsyncLifetime
{
    private GrpcTestServer _server = null!;
    private GrpcChannel _channel = null!;

    public async Task InitializeAsync()
    {
        _server = await GrpcTestServer.StartAsync(map: app =>
        {
            app.MapGrpcService<FakeAccess>();
            app.MapGrpcService<FakeDispatch>();
        });
        _channel = GrpcChannel.ForAddress(_server.Address);
    }

    public async Task DisposeAsync()
    {
        _channel.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task ValidateKey_RejectionCarriesItsReason()
    {
        var response = await new Access.AccessClient(_channel).ValidateKeyAsync(new ValidateKeyRequest { ApiKey = "sk_live_revoked" });

        Assert.Equal(ValidateKeyResponse.ResultOneofCase.Rejected, response.ResultCase);
        Assert.Equal(Rejection.Types.Reason.Revoked, response.Rejected.Reason);
    }

    [Fact]
    public async Task Relay_ReturnsJsonRpcBytesVerbatim()
    {
        // Odd spacing and key order must survive: the platform never re-encodes JSON-RPC.
        var json = "{ \"jsonrpc\":\"2.0\",  \"id\": 7, \"method\":\"tools/call\" }"u8.ToArray();
        using var call = new Dispatch.DispatchClient(_channel).Relay(new RelayRequest
        {
            Route = new Route { Server = "echo", TenantId = "t1" },
            Message = ByteString.CopyFrom(json),
            Method = "tools/call",
        });

        var events = await call.ResponseStream.ReadAllAsync().ToListAsync();

        Assert.Equal(2, events.Count);
        Assert.Equal(RelayEvent.EventOneofCase.Related, events[0].EventCase);
        Assert.Equal(json, events[1].Result.Message.ToByteArray());
    }

    [Fact]
    public async Task Session_BusyAnswerEndsTheStream()
    {
        using var call = new Dispatch.DispatchClient(_channel).Session();
        await call.RequestStream.WriteAsync(new SessionClientFrame { Open = new SessionOpen { Route = new Route { Server = "full" } } });

        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Equal(Busy.Types.Reason.QueueFull, call.ResponseStream.Current.Busy.Reason);
        Assert.False(await call.ResponseStream.MoveNext(CancellationToken.None));
    }

    private sealed class FakeAccess : Access.AccessBase
    {
        public override Task<ValidateKeyResponse> ValidateKey(ValidateKeyRequest request, ServerCallContext context) =>
            Task.FromResult(new ValidateKeyResponse { Rejected = new Rejection { Reason = Rejection.Types.Reason.Revoked, Message = "revoked" } });
    }

    private sealed class FakeDispatch : Dispatch.DispatchBase
    {
        public override async Task Relay(RelayRequest request, IServerStreamWriter<RelayEvent> responseStream, ServerCallContext context)
        {
            await responseStream.WriteAsync(new RelayEvent { Related = ByteString.CopyFrom(Encoding.UTF8.GetBytes("{\"method\":\"notifications/progress\"}")) });
            await responseStream.WriteAsync(new RelayEvent { Result = new RelayResult { Message = request.Message } });
        }

        public override async Task Session(IAsyncStreamReader<SessionClientFrame> requestStream, IServerStreamWriter<SessionServerFrame> responseStream, ServerCallContext context)
        {
            if (await requestStream.MoveNext(context.CancellationToken) && requestStream.Current.Open.Route.Server == "full")
            {
                await responseStream.WriteAsync(new SessionServerFrame { Busy = new Busy { Reason = Busy.Types.Reason.QueueFull } });
            }
        }
    }
}
