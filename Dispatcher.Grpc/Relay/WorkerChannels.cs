using System.Collections.Concurrent;
using Grpc.Net.Client;
using McpPlatform.Contracts.Worker.V1;

namespace McpPlatform.Dispatcher.Grpc.Relay;

/// <summary>One gRPC channel per worker address, shared by every call to that worker (the channel owns the HTTP/2 connections).</summary>
internal sealed class WorkerChannels : IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<GrpcChannel>> _channels = new(StringComparer.Ordinal);

    public Worker.WorkerClient Client(string address) =>
        new(_channels.GetOrAdd(address, static a => new Lazy<GrpcChannel>(() => GrpcChannel.ForAddress(a, new GrpcChannelOptions { ConnectTimeout = TimeSpan.FromSeconds(2) }))).Value);

    public void Forget(string address)
    {
        if (_channels.TryRemove(address, out var channel) && channel.IsValueCreated)
        {
            channel.Value.Dispose();
        }
    }

    public void Dispose()
    {
        foreach (var address in _channels.Keys)
        {
            Forget(address);
        }
    }
}
