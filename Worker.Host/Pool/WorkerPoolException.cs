namespace McpPlatform.Worker.Host.Pool;

/// <summary>A lease could not be given; <see cref="Error"/> says why, the message says what to do.</summary>
public sealed class WorkerPoolException : Exception
{
    public WorkerPoolException()
    {
    }

    public WorkerPoolException(string message)
        : base(message)
    {
    }

    public WorkerPoolException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public WorkerPoolException(PoolError error, string message)
        : base(message) => Error = error;

    public PoolError Error { get; }
}
