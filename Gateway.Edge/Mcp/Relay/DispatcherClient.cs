using Grpc.Net.Client;
using McpPlatform.Contracts.Dispatch.V1;
using McpPlatform.ServiceDefaults.Discovery;

namespace McpPlatform.Gateway.Edge.Mcp.Relay;

/// <summary>
/// The one gRPC channel to Dispatcher.Grpc (every replica in <c>services:dispatcher:grpc:*</c>, round robin), created
/// on first use so the gateway starts (and serves its edge routes) while the dispatcher is still coming up.
/// </summary>
internal sealed class DispatcherClient(ServiceEndpointResolver endpoints) : IDisposable
{
    private readonly Lazy<GrpcChannel> _channel = new(() => GrpcChannel.ForAddresses(
        endpoints.ResolveRequired("dispatcher", "grpc"),
        new GrpcChannelOptions { ConnectTimeout = TimeSpan.FromSeconds(5), MaxReceiveMessageSize = 64 * 1024 * 1024 }));

    private Dispatch.DispatchClient? _dispatch;
    private McpPlatform.Contracts.Dispatch.V1.Catalog.CatalogClient? _catalog;

    public Dispatch.DispatchClient Dispatch => _dispatch ??= new Dispatch.DispatchClient(_channel.Value);

    public McpPlatform.Contracts.Dispatch.V1.Catalog.CatalogClient Catalog => _catalog ??= new McpPlatform.Contracts.Dispatch.V1.Catalog.CatalogClient(_channel.Value);

    public void Dispose()
    {
        if (_channel.IsValueCreated)
        {
            _channel.Value.Dispose();
        }
    }
}
