using McpPlatform.Contracts.Access.V1;
using McpPlatform.Contracts.Keys;

namespace McpPlatform.Access.Api.Keys;

/// <summary>Tells a malformed key from a mistyped one (right shape, wrong checksum), before any lookup.</summary>
internal static class KeyShape
{
    private const int Length = 8 + ApiKeyFormat.SecretLength + ApiKeyFormat.ChecksumLength;

    /// <summary>Null when the key is well-formed with a valid checksum; otherwise why not.</summary>
    public static Rejection.Types.Reason? Check(string? key, out ApiKeyEnvironment environment)
    {
        if (ApiKeyFormat.TryParse(key, out environment))
        {
            return null;
        }

        var shaped = key is { Length: Length }
                     && (key.StartsWith("sk_live_", StringComparison.Ordinal) || key.StartsWith("sk_test_", StringComparison.Ordinal))
                     && key.AsSpan(8).IndexOfAnyExcept(Base62) < 0;
        return shaped ? Rejection.Types.Reason.BadChecksum : Rejection.Types.Reason.Malformed;
    }

    private static readonly System.Buffers.SearchValues<char> Base62 =
        System.Buffers.SearchValues.Create("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");
}
