using Grpc.Core;
using Grpc.Net.Client;
using McpPlatform.Contracts.Access.V1;
using McpPlatform.Gateway.Edge.Access.Options;
using McpPlatform.ServiceDefaults.Discovery;
using Microsoft.Extensions.Options;
using AccessGrpc = McpPlatform.Contracts.Access.V1.Access;

namespace McpPlatform.Gateway.Edge.Access.Keys;

/// <summary>
/// The gRPC client of Access.Api (<c>services:access-api:grpc:*</c>, every replica, round robin). The channel is made
/// on first use, so the gateway starts without Access.Api; calls fail with <see cref="RpcException"/> (UNAVAILABLE when
/// no address is configured), which callers turn into 503s or retries.
/// </summary>
internal sealed class AccessApiClient(ServiceEndpointResolver resolver, IOptionsMonitor<AccessOptions> options) : IDisposable
{
    private readonly Lock _lock = new();
    private GrpcChannel? _channel;
    private AccessGrpc.AccessClient? _client;

    public async Task<ValidateKeyResponse> ValidateKeyAsync(ValidateKeyRequest request, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + options.CurrentValue.ValidateTimeout;
        return await Client().ValidateKeyAsync(request, deadline: deadline, cancellationToken: cancellationToken).ResponseAsync.ConfigureAwait(false);
    }

    public async Task<RecordUsageResponse> RecordUsageAsync(RecordUsageRequest request, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + options.CurrentValue.Usage.RecordTimeout;
        return await Client().RecordUsageAsync(request, deadline: deadline, cancellationToken: cancellationToken).ResponseAsync.ConfigureAwait(false);
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _channel?.Dispose();
            _channel = null;
            _client = null;
        }
    }

    private AccessGrpc.AccessClient Client()
    {
        if (Volatile.Read(ref _client) is { } ready)
        {
            return ready;
        }

        lock (_lock)
        {
            if (_client is null)
            {
                var current = options.CurrentValue;
                var addresses = resolver.Resolve(current.AccessApiService, current.AccessApiEndpoint);
                if (addresses.Count == 0)
                {
                    throw new RpcException(new Status(StatusCode.Unavailable,
                        $"No address for Access.Api: set services__{current.AccessApiService}__{current.AccessApiEndpoint}__0."));
                }

                _channel = GrpcChannel.ForAddresses(addresses);
                _client = new AccessGrpc.AccessClient(_channel);
            }

            return _client;
        }
    }
}
