namespace McpPlatform.Redis;

/// <summary>Redis refused the credentials of the connection string (or needs some and none were given).</summary>
public sealed class RedisAuthenticationException : RedisException
{
    /// <summary>Creates the exception.</summary>
    public RedisAuthenticationException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
