using System.Reflection;
using Grpc.AspNetCore.Server;
using Grpc.Core;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace McpPlatform.StandIns.Grpc.Server;

/// <summary>
/// Receives a generated service's methods from its <c>BindService(binder, null)</c> and turns each
/// into a request delegate that calls <typeparamref name="TService"/>'s override of that method.
/// </summary>
internal sealed class ServiceMethodBinder<TService> : ServiceBinderBase
    where TService : class
{
    private readonly GrpcServiceOptions _options;
    private readonly ILogger _logger;
    private readonly ServiceActivator<TService> _activator = new();

    public ServiceMethodBinder(GrpcServiceOptions options, ILogger logger)
    {
        _options = options;
        _logger = logger;
    }

    public List<(IMethod Method, RequestDelegate Handler)> Methods { get; } = [];

    public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, UnaryServerMethod<TRequest, TResponse>? handler) =>
        Add(method, new ServerMethodInvoker<TService, TRequest, TResponse>
        {
            Unary = Find<Func<TService, TRequest, ServerCallContext, Task<TResponse>>>(method, typeof(TRequest), typeof(ServerCallContext)),
        });

    public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ServerStreamingServerMethod<TRequest, TResponse>? handler) =>
        Add(method, new ServerMethodInvoker<TService, TRequest, TResponse>
        {
            ServerStreaming = Find<Func<TService, TRequest, IServerStreamWriter<TResponse>, ServerCallContext, Task>>(method, typeof(TRequest), typeof(IServerStreamWriter<TResponse>), typeof(ServerCallContext)),
        });

    public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ClientStreamingServerMethod<TRequest, TResponse>? handler) =>
        Add(method, new ServerMethodInvoker<TService, TRequest, TResponse>
        {
            ClientStreaming = Find<Func<TService, IAsyncStreamReader<TRequest>, ServerCallContext, Task<TResponse>>>(method, typeof(IAsyncStreamReader<TRequest>), typeof(ServerCallContext)),
        });

    public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, DuplexStreamingServerMethod<TRequest, TResponse>? handler) =>
        Add(method, new ServerMethodInvoker<TService, TRequest, TResponse>
        {
            Duplex = Find<Func<TService, IAsyncStreamReader<TRequest>, IServerStreamWriter<TResponse>, ServerCallContext, Task>>(method, typeof(IAsyncStreamReader<TRequest>), typeof(IServerStreamWriter<TResponse>), typeof(ServerCallContext)),
        });

    private static TDelegate Find<TDelegate>(IMethod method, params Type[] parameters)
        where TDelegate : Delegate
    {
        var info = typeof(TService).GetMethod(method.Name, BindingFlags.Public | BindingFlags.Instance, parameters)
            ?? throw new InvalidOperationException($"{typeof(TService)} has no public method {method.Name} for {method.FullName}.");
        return info.CreateDelegate<TDelegate>();
    }

    private void Add<TRequest, TResponse>(Method<TRequest, TResponse> method, ServerMethodInvoker<TService, TRequest, TResponse> invoker)
        where TRequest : class where TResponse : class
    {
        var handler = new ServerCallHandler<TService, TRequest, TResponse>(method, invoker, _options, _activator, _logger);
        Methods.Add((method, handler.HandleCallAsync));
    }
}
