using System.Globalization;

namespace McpPlatform.Redis;

/// <summary>Parses StackExchange.Redis's connection-string format into <see cref="RedisOptions"/>.</summary>
internal static class RedisConnectionStringParser
{
    // Options StackExchange.Redis knows that have no meaning for a single-endpoint client: accepted, ignored.
    private static readonly HashSet<string> Ignored = new(StringComparer.OrdinalIgnoreCase)
    {
        "allowAdmin", "tiebreaker", "serviceName", "version", "configChannel", "resolveDns",
        "checkCertificateRevocation", "sslProtocols", "responseTimeout", "writeBuffer", "highPrioritySocketThreads",
        "configCheckSeconds", "setlib", "keepAlive", "proxy",
    };

    public static RedisOptions Parse(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var options = new RedisOptions();
        string? endpoint = null;
        foreach (var raw in connectionString.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = raw.IndexOf('=', StringComparison.Ordinal);
            if (equals < 0)
            {
                // The first endpoint is the one used; further ones (replicas) are accepted and ignored.
                endpoint ??= raw;
                continue;
            }

            Apply(options, raw[..equals].Trim(), raw[(equals + 1)..].Trim());
        }

        if (endpoint is null)
        {
            throw new ArgumentException("The Redis connection string names no endpoint (expected host:port first, e.g. 'localhost:6379,password=…').", nameof(connectionString));
        }

        SetEndpoint(options, endpoint);
        return options;
    }

    private static void Apply(RedisOptions options, string key, string value)
    {
        switch (key.ToLowerInvariant())
        {
            case "password": options.Password = value; break;
            case "user": options.User = value; break;
            case "ssl": options.Ssl = ParseBool(key, value); break;
            case "sslhost": options.SslHost = value; break;
            case "abortconnect": options.AbortOnConnectFail = ParseBool(key, value); break;
            case "defaultdatabase": options.DefaultDatabase = ParseInt(key, value); break;
            case "connecttimeout": options.ConnectTimeout = TimeSpan.FromMilliseconds(ParseInt(key, value)); break;
            case "synctimeout":
            case "asynctimeout": options.CommandTimeout = TimeSpan.FromMilliseconds(ParseInt(key, value)); break;
            case "connectretry": options.ConnectRetry = ParseInt(key, value); break;
            case "name": options.ClientName = value; break;
            case "protocol": options.Protocol = ParseProtocol(value); break;
            default:
                if (!Ignored.Contains(key) && !key.StartsWith('$'))
                {
                    throw new ArgumentException($"The Redis connection-string option '{key}' is not supported.");
                }

                break;
        }
    }

    private static void SetEndpoint(RedisOptions options, string endpoint)
    {
        var host = endpoint;
        int? port = null;
        var colon = endpoint.LastIndexOf(':');
        if (endpoint.StartsWith('['))
        {
            var close = endpoint.IndexOf(']', StringComparison.Ordinal);
            host = endpoint[1..close];
            if (close + 1 < endpoint.Length && endpoint[close + 1] == ':')
            {
                port = ParseInt("port", endpoint[(close + 2)..]);
            }
        }
        else if (colon > 0 && endpoint.IndexOf(':', StringComparison.Ordinal) == colon)
        {
            host = endpoint[..colon];
            port = ParseInt("port", endpoint[(colon + 1)..]);
        }

        options.Host = host;
        options.Port = port ?? (options.Ssl ? 6380 : 6379);
    }

    private static RedisProtocol ParseProtocol(string value) => value.ToLowerInvariant() switch
    {
        "resp2" or "2" => RedisProtocol.Resp2,
        "resp3" or "3" => RedisProtocol.Resp3,
        _ => throw new ArgumentException($"The Redis connection-string option 'protocol' must be resp2 or resp3, not '{value}'."),
    };

    private static bool ParseBool(string key, string value) =>
        bool.TryParse(value, out var result) ? result : throw new ArgumentException($"The Redis connection-string option '{key}' must be true or false, not '{value}'.");

    private static int ParseInt(string key, string value) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var result) && result >= 0
            ? result
            : throw new ArgumentException($"The Redis connection-string option '{key}' must be a non-negative integer, not '{value}'.");
}
