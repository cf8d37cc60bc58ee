namespace McpPlatform.Redis;

/// <summary>
/// The connection to Redis is down or broke while a command was in flight. The client reconnects on
/// its own; the command may or may not have run on the server (it was retried only if idempotent).
/// </summary>
public sealed class RedisConnectionException : RedisException
{
    /// <summary>Creates the exception.</summary>
    public RedisConnectionException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
