using System.Collections.Concurrent;
using Grpc.Core;
using Grpc.Net.Client;
using McpPlatform.Contracts.Worker.V1;
using McpPlatform.StandIns.Grpc.Multiplexing;
using Microsoft.Extensions.Options;

namespace McpPlatform.Dispatcher.Grpc.Relay;

/// <summary>
/// One gRPC channel per worker address, shared by every call to that worker (the channel owns the HTTP/2
/// connections), and with it the address's ExecuteMux streams: <see cref="Execute"/> runs a relayed call on them
/// unless <see cref="WorkerCallOptions.Multiplex"/> is off.
/// </summary>
internal sealed class WorkerChannels(IOptions<WorkerCallOptions> options) : IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<Target>> _targets = new(StringComparer.Ordinal);

    public Worker.WorkerClient Client(string address) => Get(address).Client;

    /// <summary>
    /// One Execute call on the worker at <paramref name="address"/>: multiplexed by default, or its own RPC. Either way
    /// the caller reads the same events and the same statuses (a connection that could not be opened is UNAVAILABLE
    /// "Error connecting...", see <see cref="MuxStatus.IsNotStarted"/>).
    /// </summary>
    public AsyncServerStreamingCall<ExecuteEvent> Execute(string address, ExecuteRequest request, DateTime? deadline, CancellationToken cancellationToken)
    {
        var target = Get(address);
        return target.Mux is { } mux
            ? mux.Call(request, deadline, cancellationToken)
            : target.Client.Execute(request, deadline: deadline, cancellationToken: cancellationToken);
    }

    public void Forget(string address)
    {
        if (_targets.TryRemove(address, out var target) && target.IsValueCreated)
        {
            target.Value.Dispose();
        }
    }

    public void Dispose()
    {
        foreach (var address in _targets.Keys)
        {
            Forget(address);
        }
    }

    private Target Get(string address) => _targets.GetOrAdd(address, static (a, o) => new Lazy<Target>(() => new Target(a, o)), options.Value).Value;

    private sealed class Target : IDisposable
    {
        private readonly GrpcChannel _channel;

        public Target(string address, WorkerCallOptions options)
        {
            _channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions { ConnectTimeout = TimeSpan.FromSeconds(2) });
            Client = new Worker.WorkerClient(_channel);
            if (options.Multiplex)
            {
                var client = Client;
                Mux = new MultiplexedClient<ExecuteMuxRequest, ExecuteMuxEvent, ExecuteRequest, ExecuteEvent>(
                    o => client.ExecuteMux(o),
                    new MultiplexedClientOptions { StreamsPerTarget = options.StreamsPerWorker, CallName = "mcpplatform.worker.v1.Worker/Execute" });
            }
        }

        public Worker.WorkerClient Client { get; }

        public MultiplexedClient<ExecuteMuxRequest, ExecuteMuxEvent, ExecuteRequest, ExecuteEvent>? Mux { get; }

        public void Dispose()
        {
            Mux?.Dispose();
            _channel.Dispose();
        }
    }
}
