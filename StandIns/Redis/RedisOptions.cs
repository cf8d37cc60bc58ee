using System.Net.Security;

namespace McpPlatform.Redis;

/// <summary>
/// How to reach Redis. <see cref="Parse"/> reads StackExchange.Redis's connection-string format, for example
/// <c>localhost:6379,user=app,password=secret,ssl=true,abortConnect=false,defaultDatabase=2</c>.
/// </summary>
public sealed class RedisOptions
{
    /// <summary>The server's host name or address.</summary>
    public string Host { get; set; } = "localhost";

    /// <summary>The server's port (6379, or 6380 when <see cref="Ssl"/> is set and no port is given).</summary>
    public int Port { get; set; } = 6379;

    /// <summary>The ACL user (Redis 6+); null means the default user.</summary>
    public string? User { get; set; }

    /// <summary>The password; null means no AUTH.</summary>
    public string? Password { get; set; }

    /// <summary>Connect over TLS.</summary>
    public bool Ssl { get; set; }

    /// <summary>The host name the server's certificate must carry; defaults to <see cref="Host"/>.</summary>
    public string? SslHost { get; set; }

    /// <summary>A custom certificate check (for private CAs and tests); null uses the platform's validation.</summary>
    public RemoteCertificateValidationCallback? CertificateValidation { get; set; }

    /// <summary>When true (the default, as in StackExchange.Redis), connecting fails if the first attempt fails; when false the client keeps retrying in the background.</summary>
    public bool AbortOnConnectFail { get; set; } = true;

    /// <summary>The database that <see cref="RedisMultiplexer.GetDatabase"/> uses by default (SELECT).</summary>
    public int DefaultDatabase { get; set; }

    /// <summary>Time allowed to open a connection, including TLS and the handshake. Default 5 s.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Time a command may wait for its reply, queueing included. Default 5 s (<c>syncTimeout</c>).</summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How many times the first connection is tried before <see cref="RedisMultiplexer.ConnectAsync(RedisOptions, Microsoft.Extensions.Logging.ILoggerFactory?, CancellationToken)"/> gives up. Default 3.</summary>
    public int ConnectRetry { get; set; } = 3;

    /// <summary>The protocol to negotiate. Default <see cref="RedisProtocol.Resp3"/> (with fallback to RESP2).</summary>
    public RedisProtocol Protocol { get; set; } = RedisProtocol.Resp3;

    /// <summary>The name shown by <c>CLIENT LIST</c>; null sends none.</summary>
    public string? ClientName { get; set; }

    /// <summary>The longest pause between reconnection attempts (the backoff doubles up to it). Default 5 s.</summary>
    public TimeSpan MaxReconnectDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How many idle dedicated connections for blocking commands are kept. Default 4.</summary>
    public int MaxIdleBlockingConnections { get; set; } = 4;

    /// <summary>The endpoint as <c>host:port</c>.</summary>
    public string EndPoint => Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]:{Port}" : $"{Host}:{Port}";

    /// <summary>Reads a StackExchange.Redis-style connection string.</summary>
    /// <exception cref="ArgumentException">The string is empty, names no endpoint, or holds an unknown or malformed option.</exception>
    public static RedisOptions Parse(string connectionString) => RedisConnectionStringParser.Parse(connectionString);

    /// <summary>A copy that can be changed without touching this instance.</summary>
    public RedisOptions Clone() => (RedisOptions)MemberwiseClone();

    /// <summary>The options in connection-string form, with the password masked.</summary>
    public override string ToString() =>
        $"{EndPoint},ssl={Ssl},defaultDatabase={DefaultDatabase}{(User is null ? "" : ",user=" + User)}{(Password is null ? "" : ",password=*****")}";
}
