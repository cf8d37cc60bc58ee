using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace McpPlatform.Gateway.Edge.Mcp.Stateless;

/// <summary>
/// The <c>requestState</c> of an <c>input_required</c> answer: which parked call it continues, for whom, until when,
/// and for which request (method and name), HMAC-SHA256 signed with a key that never leaves this process. The spec
/// says to treat it as attacker-controlled: a changed byte, another principal, another request or a late retry is
/// refused. The key is per process because the parked call it names lives in this replica's memory anyway: another
/// replica only reads the call id out of a state it cannot verify (<see cref="ForeignCallId"/>), to look up which
/// replica to send the retry on to; the replica that signed it verifies it as always.
/// </summary>
internal sealed class InputStateProtector(TimeProvider time)
{
    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);

    public string Protect(string callId, string principal, string method, string? name, TimeSpan lifetime)
    {
        var claims = new Claims(callId, principal, method, name, time.GetUtcNow().Add(lifetime).ToUnixTimeMilliseconds());
        var payload = JsonSerializer.SerializeToUtf8Bytes(claims, StateJson.Default.Claims);
        return Base64Url(payload) + "." + Base64Url(HMACSHA256.HashData(_key, payload));
    }

    /// <summary>The parked call's id, or null when the state is malformed, forged, expired or for another caller or request.</summary>
    public string? Unprotect(string state, string principal, string method, string? name)
    {
        var dot = state.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || FromBase64Url(state[..dot]) is not { } payload || FromBase64Url(state[(dot + 1)..]) is not { } mac ||
            !CryptographicOperations.FixedTimeEquals(mac, HMACSHA256.HashData(_key, payload)))
        {
            return null;
        }

        var claims = JsonSerializer.Deserialize(payload, StateJson.Default.Claims);
        return claims is not null && claims.Principal == principal && claims.Method == method && claims.Name == name &&
               claims.ExpiresAt > time.GetUtcNow().ToUnixTimeMilliseconds()
            ? claims.CallId
            : null;
    }

    /// <summary>
    /// The call id of a well-formed state that this process did not sign (another replica did, or nobody): used only as
    /// a lookup key, never trusted. Null for a state signed here (it is this replica's to check) or a malformed one.
    /// </summary>
    public string? ForeignCallId(string state)
    {
        var dot = state.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || FromBase64Url(state[..dot]) is not { } payload || FromBase64Url(state[(dot + 1)..]) is not { } mac ||
            CryptographicOperations.FixedTimeEquals(mac, HMACSHA256.HashData(_key, payload)))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(payload, StateJson.Default.Claims)?.CallId;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[]? FromBase64Url(string text)
    {
        var padded = text.Replace('-', '+').Replace('_', '/');
        padded += new string('=', (4 - (padded.Length % 4)) % 4);
        try
        {
            return Convert.FromBase64String(padded);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    internal sealed record Claims(
        [property: JsonPropertyName("c")] string CallId,
        [property: JsonPropertyName("p")] string Principal,
        [property: JsonPropertyName("m")] string Method,
        [property: JsonPropertyName("n")] string? Name,
        [property: JsonPropertyName("e")] long ExpiresAt);
}

[JsonSerializable(typeof(InputStateProtector.Claims))]
internal sealed partial class StateJson : JsonSerializerContext;
