namespace McpPlatform.Redis;

/// <summary>A command got no reply within its timeout (<c>syncTimeout</c>/<c>asyncTimeout</c> or the per-call timeout).</summary>
public sealed class RedisTimeoutException : RedisException
{
    /// <summary>Creates the exception.</summary>
    public RedisTimeoutException(string message)
        : base(message)
    {
    }
}
