namespace Grpc.Core;

/// <summary>Receives a service's methods from the generated <c>BindService</c> method.</summary>
public class ServiceBinderBase
{
    /// <summary>Adds a unary method.</summary>
    public virtual void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, UnaryServerMethod<TRequest, TResponse>? handler)
        where TRequest : class where TResponse : class => throw new NotImplementedException();

    /// <summary>Adds a client-streaming method.</summary>
    public virtual void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ClientStreamingServerMethod<TRequest, TResponse>? handler)
        where TRequest : class where TResponse : class => throw new NotImplementedException();

    /// <summary>Adds a server-streaming method.</summary>
    public virtual void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ServerStreamingServerMethod<TRequest, TResponse>? handler)
        where TRequest : class where TResponse : class => throw new NotImplementedException();

    /// <summary>Adds a bidirectional method.</summary>
    public virtual void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, DuplexStreamingServerMethod<TRequest, TResponse>? handler)
        where TRequest : class where TResponse : class => throw new NotImplementedException();
}
