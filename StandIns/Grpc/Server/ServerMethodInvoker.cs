using Grpc.Core;

namespace McpPlatform.StandIns.Grpc.Server;

/// <summary>Open-instance delegates to a service's handler method (virtual dispatch to the override).</summary>
internal sealed class ServerMethodInvoker<TService, TRequest, TResponse>
    where TService : class where TRequest : class where TResponse : class
{
    public Func<TService, TRequest, ServerCallContext, Task<TResponse>>? Unary { get; init; }

    public Func<TService, TRequest, IServerStreamWriter<TResponse>, ServerCallContext, Task>? ServerStreaming { get; init; }

    public Func<TService, IAsyncStreamReader<TRequest>, ServerCallContext, Task<TResponse>>? ClientStreaming { get; init; }

    public Func<TService, IAsyncStreamReader<TRequest>, IServerStreamWriter<TResponse>, ServerCallContext, Task>? Duplex { get; init; }
}
