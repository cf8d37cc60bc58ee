using System.Security.Cryptography;

namespace McpPlatform.Stores.Sessions;

/// <summary>Session ids: 256 random bits, base64url (43 visible ASCII characters, as the MCP spec requires).</summary>
public static class SessionIds
{
    /// <summary>A new unguessable session id.</summary>
    public static string New() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>True when <paramref name="id"/> could be a session id (1–128 visible ASCII characters); checks shape only.</summary>
    public static bool IsWellFormed(string? id) =>
        id is { Length: > 0 and <= 128 } && id.All(c => c is > (char)0x20 and < (char)0x7F);
}
