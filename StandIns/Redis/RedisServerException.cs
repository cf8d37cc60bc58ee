namespace McpPlatform.Redis;

/// <summary>Redis answered a command with an error reply (for example <c>WRONGTYPE</c> or <c>NOSCRIPT</c>).</summary>
public sealed class RedisServerException : RedisException
{
    /// <summary>Creates the exception from the server's error text.</summary>
    public RedisServerException(string command, string error)
        : base($"Redis rejected {command}: {error}")
    {
        Command = command;
        ServerError = error;
        var space = error.IndexOf(' ', StringComparison.Ordinal);
        ErrorPrefix = space > 0 ? error[..space] : error;
    }

    /// <summary>The command that failed.</summary>
    public string Command { get; }

    /// <summary>The error text exactly as Redis sent it.</summary>
    public string ServerError { get; }

    /// <summary>The error code: the first word of the error (<c>ERR</c>, <c>WRONGTYPE</c>, <c>NOSCRIPT</c>, …).</summary>
    public string ErrorPrefix { get; }
}
