namespace McpPlatform.Redis;

/// <summary>The RESP version a connection speaks.</summary>
public enum RedisProtocol
{
    /// <summary>RESP2: every Redis version.</summary>
    Resp2 = 2,

    /// <summary>RESP3, negotiated with <c>HELLO 3</c> (Redis 6 and later); falls back to RESP2 when the server lacks HELLO.</summary>
    Resp3 = 3,
}
