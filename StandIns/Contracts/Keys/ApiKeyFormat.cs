using System.Buffers.Binary;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;

namespace McpPlatform.Contracts.Keys;

/// <summary>
/// The platform's API key format: <c>sk_live_</c> or <c>sk_test_</c>, then 32 random bytes in base62
/// (43 characters), then a 6-character base62 CRC-32 of everything before it. The prefix lets
/// secret scanners find leaked keys; the checksum rejects a mistyped or truncated key before any
/// lookup.
/// </summary>
public static class ApiKeyFormat
{
    /// <summary>Length of the random part in base62 characters (32 bytes).</summary>
    public const int SecretLength = 43;

    /// <summary>Length of the checksum in base62 characters.</summary>
    public const int ChecksumLength = 6;

    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    /// <summary>The prefix of a key for <paramref name="environment"/>.</summary>
    public static string PrefixOf(ApiKeyEnvironment environment) =>
        environment == ApiKeyEnvironment.Live ? "sk_live_" : "sk_test_";

    /// <summary>Creates a new key from 32 cryptographically random bytes.</summary>
    public static string Generate(ApiKeyEnvironment environment)
    {
        var body = PrefixOf(environment) + Base62(RandomNumberGenerator.GetBytes(32), SecretLength);
        return body + Checksum(body);
    }

    /// <summary>True when <paramref name="key"/> has the right prefix, length, alphabet and checksum.</summary>
    public static bool TryParse(string? key, out ApiKeyEnvironment environment)
    {
        environment = default;
        if (key is null || key.Length != 8 + SecretLength + ChecksumLength)
        {
            return false;
        }
        if (key.StartsWith("sk_live_", StringComparison.Ordinal))
        {
            environment = ApiKeyEnvironment.Live;
        }
        else if (key.StartsWith("sk_test_", StringComparison.Ordinal))
        {
            environment = ApiKeyEnvironment.Test;
        }
        else
        {
            return false;
        }
        foreach (var c in key.AsSpan(8))
        {
            if (!char.IsAsciiLetterOrDigit(c))
            {
                return false;
            }
        }
        var body = key[..^ChecksumLength];
        return CryptographicOperations.FixedTimeEquals(
            Encoding.ASCII.GetBytes(Checksum(body)), Encoding.ASCII.GetBytes(key[^ChecksumLength..]));
    }

    /// <summary>The part safe to show and store in clear: the prefix and the first characters of the secret.</summary>
    public static string DisplayPrefix(string key) => key.Length > 12 ? key[..12] : key;

    private static string Checksum(string body)
    {
        Span<byte> crc = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32.Compute(Encoding.ASCII.GetBytes(body)));
        return Base62(crc, ChecksumLength);
    }

    private static string Base62(ReadOnlySpan<byte> bytes, int length)
    {
        var value = new BigInteger(bytes, isUnsigned: true, isBigEndian: true);
        var chars = new char[length];
        for (var i = length - 1; i >= 0; i--)
        {
            value = BigInteger.DivRem(value, 62, out var remainder);
            chars[i] = Alphabet[(int)remainder];
        }
        return new string(chars);
    }
}

/// <summary>Which environment a key belongs to; a test key never works on a live deployment.</summary>
public enum ApiKeyEnvironment
{
    /// <summary><c>sk_test_</c>: development and staging.</summary>
    Test,

    /// <summary><c>sk_live_</c>: production.</summary>
    Live,
}
