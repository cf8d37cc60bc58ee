namespace Grpc.Core;

/// <summary>Writes a stream of messages; a write completes when the transport accepted it (backpressure).</summary>
public interface IAsyncStreamWriter<in T>
{
    /// <summary>Options for the next writes.</summary>
    WriteOptions? WriteOptions { get; set; }

    /// <summary>Writes a message. Only one write may be pending at a time.</summary>
    Task WriteAsync(T message);

    /// <summary>Writes a message, observing a cancellation token.</summary>
    Task WriteAsync(T message, CancellationToken cancellationToken) => cancellationToken.CanBeCanceled
        ? WriteAsync(message).WaitAsync(cancellationToken)
        : WriteAsync(message);
}

/// <summary>The server's response stream.</summary>
public interface IServerStreamWriter<in T> : IAsyncStreamWriter<T>
{
}

/// <summary>The client's request stream.</summary>
public interface IClientStreamWriter<in T> : IAsyncStreamWriter<T>
{
    /// <summary>Signals that no more messages will be written (half-close).</summary>
    Task CompleteAsync();
}
