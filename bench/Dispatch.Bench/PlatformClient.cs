using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using McpPlatform.Contracts.Common.V1;
using McpPlatform.Contracts.Dispatch.V1;
using McpPlatform.StandIns.Grpc.Multiplexing;

namespace McpPlatform.Bench.Dispatch;

/// <summary>
/// The platform path: a gRPC client (what the gateway is) calling <c>Dispatch.Relay</c>, on <c>Dispatch.RelayMux</c>
/// streams like the gateway's default (<paramref name="multiplex"/>) or one RPC per call.
/// </summary>
internal sealed class PlatformClient(Uri dispatcher, bool multiplex = true) : IDisposable
{
    private static readonly ByteString Echo = ByteString.CopyFromUtf8("""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"echo","arguments":{"text":"hello"}}}""");
    private static readonly Route Route = new() { Server = "echo", TenantId = "bench", PrincipalId = "bench", SessionId = "bench", ProtocolVersion = "2025-06-18", PlanId = "bench" };

    private readonly GrpcChannel _channel = GrpcChannel.ForAddress(dispatcher);

    private MultiplexedClient<RelayMuxRequest, RelayMuxEvent, RelayRequest, RelayEvent>? _mux;

    private Contracts.Dispatch.V1.Dispatch.DispatchClient Client => new(_channel);

    private MultiplexedClient<RelayMuxRequest, RelayMuxEvent, RelayRequest, RelayEvent> Mux => _mux ??= new(
        o => Client.RelayMux(o), new MultiplexedClientOptions { StreamsPerTarget = 2, CallName = "mcpplatform.dispatch.v1.Dispatch/Relay" });

    /// <summary>One <c>tools/call</c> of <c>echo</c>; returns the response message, or throws when the answer is not a result.</summary>
    public async Task<ByteString> EchoAsync()
    {
        var request = new RelayRequest { Route = Route, Message = Echo, Method = "tools/call", Tool = "echo" };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        using var call = multiplex ? Mux.Call(request, deadline) : Client.Relay(request, deadline: deadline);
        ByteString? result = null;
        while (await call.ResponseStream.MoveNext(CancellationToken.None))
        {
            var item = call.ResponseStream.Current;
            if (item.EventCase == RelayEvent.EventOneofCase.Busy)
            {
                throw new InvalidOperationException($"busy: {item.Busy.Reason}");
            }

            result = item.Result?.Message;
        }

        return result ?? throw new InvalidOperationException("no result");
    }

    public void Dispose()
    {
        _mux?.Dispose();
        _channel.Dispose();
    }
}
