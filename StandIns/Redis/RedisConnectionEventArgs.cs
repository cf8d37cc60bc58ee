namespace McpPlatform.Redis;

/// <summary>Describes a lost or restored connection.</summary>
public sealed class RedisConnectionEventArgs : EventArgs
{
    /// <summary>Creates the event data.</summary>
    public RedisConnectionEventArgs(string endPoint, Exception? exception)
    {
        EndPoint = endPoint;
        Exception = exception;
    }

    /// <summary>The endpoint as <c>host:port</c>.</summary>
    public string EndPoint { get; }

    /// <summary>Why the connection was lost (null when it was restored).</summary>
    public Exception? Exception { get; }
}
