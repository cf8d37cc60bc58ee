namespace Grpc.Core;

/// <summary>The base of generated clients.</summary>
public abstract class ClientBase
{
    /// <summary>For mocking.</summary>
    protected ClientBase()
        : this(new UnimplementedCallInvoker())
    {
    }

    /// <summary>Creates a client on a channel.</summary>
    protected ClientBase(ChannelBase channel)
        : this((channel ?? throw new ArgumentNullException(nameof(channel))).CreateCallInvoker())
    {
    }

    /// <summary>Creates a client on an invoker.</summary>
    protected ClientBase(CallInvoker callInvoker)
    {
        CallInvoker = callInvoker ?? throw new ArgumentNullException(nameof(callInvoker));
    }

    /// <summary>Creates a client from a configuration (used by <c>WithHost</c>-style copies).</summary>
    protected ClientBase(ClientBaseConfiguration configuration)
        : this((configuration ?? throw new ArgumentNullException(nameof(configuration))).CallInvoker)
    {
    }

    /// <summary>The invoker calls go through.</summary>
    protected CallInvoker CallInvoker { get; }

    /// <summary>What a client copy needs.</summary>
    protected internal class ClientBaseConfiguration
    {
        internal ClientBaseConfiguration(CallInvoker callInvoker)
        {
            CallInvoker = callInvoker;
        }

        internal CallInvoker CallInvoker { get; }
    }

    private sealed class UnimplementedCallInvoker : CallInvoker
    {
        public override TResponse BlockingUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) => throw new NotImplementedException();

        public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) => throw new NotImplementedException();

        public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) => throw new NotImplementedException();

        public override AsyncClientStreamingCall<TRequest, TResponse> AsyncClientStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options) => throw new NotImplementedException();

        public override AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options) => throw new NotImplementedException();
    }
}

/// <summary>The generic base of generated clients.</summary>
public abstract class ClientBase<T> : ClientBase
    where T : ClientBase<T>
{
    /// <summary>For mocking.</summary>
    protected ClientBase()
    {
    }

    /// <summary>Creates a client on a channel.</summary>
    protected ClientBase(ChannelBase channel)
        : base(channel)
    {
    }

    /// <summary>Creates a client on an invoker.</summary>
    protected ClientBase(CallInvoker callInvoker)
        : base(callInvoker)
    {
    }

    /// <summary>Creates a client from a configuration.</summary>
    protected ClientBase(ClientBaseConfiguration configuration)
        : base(configuration)
    {
    }

    /// <summary>Creates a new instance of the concrete client.</summary>
    protected abstract T NewInstance(ClientBaseConfiguration configuration);
}
