using System.Security.Cryptography;
using System.Text;

namespace McpPlatform.Gateway.Edge.Access.Keys;

/// <summary>
/// What the gateway remembers a key by: its SHA-256, never the key. A 256-bit random secret needs no salt or pepper
/// for this (nothing can be brute-forced back), and the digest never leaves the process.
/// </summary>
internal static class KeyDigest
{
    public static string Of(string key)
    {
        Span<byte> utf8 = stackalloc byte[Encoding.ASCII.GetMaxByteCount(key.Length)];
        var length = Encoding.ASCII.GetBytes(key, utf8);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(utf8[..length], hash);
        CryptographicOperations.ZeroMemory(utf8);
        return Convert.ToBase64String(hash);
    }
}
