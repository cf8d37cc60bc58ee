namespace Grpc.Core;

/// <summary>A service's methods bound to handlers (what the generated <c>BindService(impl)</c> returns).</summary>
public class ServerServiceDefinition
{
    private readonly IReadOnlyList<Action<ServiceBinderBase>> _bindings;

    private ServerServiceDefinition(IReadOnlyList<Action<ServiceBinderBase>> bindings) => _bindings = bindings;

    /// <summary>Starts a definition.</summary>
    public static Builder CreateBuilder() => new();

    /// <summary>Replays the bound methods into a binder.</summary>
    public void BindService(ServiceBinderBase serviceBinder)
    {
        ArgumentNullException.ThrowIfNull(serviceBinder);
        foreach (var binding in _bindings)
        {
            binding(serviceBinder);
        }
    }

    /// <summary>Collects methods and handlers.</summary>
    public class Builder
    {
        private readonly List<Action<ServiceBinderBase>> _bindings = [];

        /// <summary>Adds a unary method.</summary>
        public Builder AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, UnaryServerMethod<TRequest, TResponse> handler)
            where TRequest : class where TResponse : class
        {
            _bindings.Add(b => b.AddMethod(method, handler));
            return this;
        }

        /// <summary>Adds a client-streaming method.</summary>
        public Builder AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ClientStreamingServerMethod<TRequest, TResponse> handler)
            where TRequest : class where TResponse : class
        {
            _bindings.Add(b => b.AddMethod(method, handler));
            return this;
        }

        /// <summary>Adds a server-streaming method.</summary>
        public Builder AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ServerStreamingServerMethod<TRequest, TResponse> handler)
            where TRequest : class where TResponse : class
        {
            _bindings.Add(b => b.AddMethod(method, handler));
            return this;
        }

        /// <summary>Adds a bidirectional method.</summary>
        public Builder AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, DuplexStreamingServerMethod<TRequest, TResponse> handler)
            where TRequest : class where TResponse : class
        {
            _bindings.Add(b => b.AddMethod(method, handler));
            return this;
        }

        /// <summary>Builds the definition.</summary>
        public ServerServiceDefinition Build() => new(_bindings.ToArray());
    }
}
