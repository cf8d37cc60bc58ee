using System.Collections.Concurrent;
using System.Threading.Channels;
using Grpc.Core;
using Grpc.Health.V1;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace Grpc.HealthCheck;

/// <summary>
/// The standard health service (<c>grpc.health.v1.Health</c>), served on every server that calls
/// <c>MapGrpcService</c>. The server as a whole ("") starts SERVING; services set their own status.
/// </summary>
public class HealthServiceImpl : Health.V1.Health.HealthBase
{
    private readonly ConcurrentDictionary<string, ServingStatus> _statuses = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Channel<ServingStatus>, string> _watchers = new();

    /// <summary>Creates the service with the server ("") SERVING.</summary>
    public HealthServiceImpl()
    {
        _statuses[string.Empty] = ServingStatus.Serving;
    }

    /// <summary>Sets a service's status and tells its watchers.</summary>
    public void SetStatus(string service, ServingStatus status)
    {
        ArgumentNullException.ThrowIfNull(service);
        _statuses[service] = status;
        Notify(service, status);
    }

    /// <summary>Forgets a service (Check then answers NOT_FOUND, Watch SERVICE_UNKNOWN).</summary>
    public void ClearStatus(string service)
    {
        ArgumentNullException.ThrowIfNull(service);
        _statuses.TryRemove(service, out _);
        Notify(service, ServingStatus.ServiceUnknown);
    }

    /// <summary>Forgets every service.</summary>
    public void ClearAll()
    {
        foreach (var service in _statuses.Keys)
        {
            ClearStatus(service);
        }
    }

    /// <inheritdoc />
    public override Task<HealthCheckResponse> Check(HealthCheckRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        return _statuses.TryGetValue(request.Service, out var status)
            ? Task.FromResult(new HealthCheckResponse { Status = status })
            : throw new RpcException(new Status(StatusCode.NotFound, $"Unknown service '{request.Service}'."));
    }

    /// <inheritdoc />
    public override async Task Watch(HealthCheckRequest request, IServerStreamWriter<HealthCheckResponse> responseStream, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(responseStream);
        ArgumentNullException.ThrowIfNull(context);

        // Only the latest status matters to a watcher, so a slow one never makes us buffer.
        var channel = Channel.CreateBounded<ServingStatus>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest });
        _watchers[channel] = request.Service;
        try
        {
            channel.Writer.TryWrite(_statuses.TryGetValue(request.Service, out var current) ? current : ServingStatus.ServiceUnknown);
            try
            {
                await foreach (var status in channel.Reader.ReadAllAsync(context.CancellationToken).ConfigureAwait(false))
                {
                    await responseStream.WriteAsync(new HealthCheckResponse { Status = status }).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
            {
                // The client stopped watching: the normal way out.
            }
        }
        finally
        {
            _watchers.TryRemove(channel, out _);
        }
    }

    private void Notify(string service, ServingStatus status)
    {
        foreach (var (channel, watched) in _watchers)
        {
            if (watched == service)
            {
                channel.Writer.TryWrite(status);
            }
        }
    }
}
