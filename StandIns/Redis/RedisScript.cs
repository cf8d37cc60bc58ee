using System.Security.Cryptography;
using System.Text;

namespace McpPlatform.Redis;

/// <summary>
/// A Lua script sent by its SHA1 (EVALSHA); when the server has lost it (restart, SCRIPT FLUSH, failover) the
/// client answers NOSCRIPT by loading it again and retrying, invisibly to the caller.
/// </summary>
public sealed class RedisScript
{
    /// <summary>Creates a script; its SHA1 is computed locally, as Redis computes it.</summary>
    public RedisScript(string source)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(source);
        Source = source;
        Sha1 = Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(source)));
    }

    /// <summary>The Lua source.</summary>
    public string Source { get; }

    /// <summary>The lower-case hex SHA1 that EVALSHA names the script by.</summary>
    public string Sha1 { get; }
}
