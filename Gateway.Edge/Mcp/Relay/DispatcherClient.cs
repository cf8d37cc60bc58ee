using Grpc.Core;
using Grpc.Net.Client;
using McpPlatform.Contracts.Dispatch.V1;
using McpPlatform.ServiceDefaults.Discovery;
using McpPlatform.StandIns.Grpc.Multiplexing;
using Microsoft.Extensions.Options;

namespace McpPlatform.Gateway.Edge.Mcp.Relay;

/// <summary>
/// The one gRPC channel to Dispatcher.Grpc (every replica in <c>services:dispatcher:grpc:*</c>, round robin), created
/// on first use so the gateway starts (and serves its edge routes) while the dispatcher is still coming up; and with
/// it the RelayMux streams that <see cref="Relay"/> uses unless <see cref="RelayOptions.Multiplex"/> is off.
/// </summary>
internal sealed class DispatcherClient : IDisposable
{
    private readonly Lazy<GrpcChannel> _channel;
    private readonly Lazy<MultiplexedClient<RelayMuxRequest, RelayMuxEvent, RelayRequest, RelayEvent>>? _mux;
    private readonly ILogger<DispatcherClient> _logger;
    private Dispatch.DispatchClient? _dispatch;
    private McpPlatform.Contracts.Dispatch.V1.Catalog.CatalogClient? _catalog;

    public DispatcherClient(ServiceEndpointResolver endpoints, IOptions<RelayOptions> options, ILogger<DispatcherClient> logger)
    {
        _logger = logger;
        _channel = new(() => GrpcChannel.ForAddresses(
            endpoints.ResolveRequired("dispatcher", "grpc"),
            new GrpcChannelOptions { ConnectTimeout = TimeSpan.FromSeconds(5), MaxReceiveMessageSize = 64 * 1024 * 1024 }));
        var relay = options.Value;
        if (relay.Multiplex)
        {
            _mux = new(() => new MultiplexedClient<RelayMuxRequest, RelayMuxEvent, RelayRequest, RelayEvent>(
                o => Dispatch.RelayMux(o),
                new MultiplexedClientOptions { StreamsPerTarget = relay.StreamsPerTarget, CallName = "mcpplatform.dispatch.v1.Dispatch/Relay" }));
        }
    }

    public Dispatch.DispatchClient Dispatch => _dispatch ??= new Dispatch.DispatchClient(_channel.Value);

    public McpPlatform.Contracts.Dispatch.V1.Catalog.CatalogClient Catalog => _catalog ??= new McpPlatform.Contracts.Dispatch.V1.Catalog.CatalogClient(_channel.Value);

    /// <summary>
    /// One Relay call: on a RelayMux stream by default, else its own RPC; the caller reads the same events and statuses
    /// either way (a call the dispatcher never started is UNAVAILABLE, see <see cref="MuxStatus.IsNotStarted"/>).
    /// </summary>
    public AsyncServerStreamingCall<RelayEvent> Relay(RelayRequest request, DateTime? deadline, CancellationToken cancellationToken) =>
        _mux is { } mux
            ? mux.Value.Call(request, deadline, cancellationToken)
            : Dispatch.Relay(request, deadline: deadline, cancellationToken: cancellationToken);

    /// <summary>
    /// Starts one Relay call and reads its first event: the call comes back positioned on it (its
    /// <c>ResponseStream.Current</c>), or null when the dispatcher ended the call without any. A call the dispatcher
    /// never started (a replica unreachable or shutting down) is made once more, on a fresh stream: the channel skips
    /// an unreachable replica. Any other failure is the caller's <see cref="RpcException"/>.
    /// </summary>
    public async Task<AsyncServerStreamingCall<RelayEvent>?> StartRelayAsync(RelayRequest request, DateTime? deadline, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        for (var attempt = 1; ; attempt++)
        {
            var call = Relay(request, deadline, cancellationToken);
            try
            {
                if (await call.ResponseStream.MoveNext(cancellationToken).ConfigureAwait(false))
                {
                    return call;
                }

                call.Dispose();
                return null;
            }
            catch (RpcException ex) when (attempt == 1 && MuxStatus.IsNotStarted(ex.Status))
            {
                call.Dispose();
                RelayLog.DispatcherRetry(_logger, request.Route?.Server ?? string.Empty, ex.Status.Detail);
            }
            catch
            {
                call.Dispose();
                throw;
            }
        }
    }

    public void Dispose()
    {
        if (_mux is { IsValueCreated: true })
        {
            _mux.Value.Dispose();
        }

        if (_channel.IsValueCreated)
        {
            _channel.Value.Dispose();
        }
    }
}
