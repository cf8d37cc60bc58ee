namespace Grpc.Core;

/// <summary>A connection (or pool of connections) to a target that generated clients call through.</summary>
public abstract class ChannelBase
{
    /// <summary>Creates the channel base.</summary>
    protected ChannelBase(string target)
    {
        Target = target;
    }

    /// <summary>The target address.</summary>
    public string Target { get; }

    /// <summary>Creates the invoker that starts calls on this channel.</summary>
    public abstract CallInvoker CreateCallInvoker();

    /// <summary>Shuts the channel down.</summary>
    public Task ShutdownAsync() => ShutdownAsyncCore();

    /// <summary>Shuts the channel down.</summary>
    protected virtual Task ShutdownAsyncCore() => Task.CompletedTask;
}
