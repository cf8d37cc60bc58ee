using McpPlatform.Contracts.Keys;

namespace McpPlatform.Access.Api.Tests.Keys;

public sealed class ApiKeyFormatTests
{
    [Theory]
    [InlineData(ApiKeyEnvironment.Test, "sk_test_")]
    [InlineData(ApiKeyEnvironment.Live, "sk_live_")]
    public void GeneratedKey_HasItsPrefixAndLength_AndParses(ApiKeyEnvironment environment, string prefix)
    {
        var key = ApiKeyFormat.Generate(environment);

        Assert.StartsWith(prefix, key, StringComparison.Ordinal);
        Assert.Equal(8 + ApiKeyFormat.SecretLength + ApiKeyFormat.ChecksumLength, key.Length);
        Assert.True(ApiKeyFormat.TryParse(key, out var parsed));
        Assert.Equal(environment, parsed);
        Assert.Equal(key[..12], ApiKeyFormat.DisplayPrefix(key));
    }

    [Fact]
    public void GeneratedKeys_AreAllDifferent()
    {
        var keys = Enumerable.Range(0, 1000).Select(_ => ApiKeyFormat.Generate(ApiKeyEnvironment.Live)).ToHashSet();

        Assert.Equal(1000, keys.Count);
    }

    [Fact]
    public void EverySingleCharacterTypo_IsRejectedByTheChecksum()
    {
        var key = ApiKeyFormat.Generate(ApiKeyEnvironment.Test);
        for (var i = 8; i < key.Length; i++)
        {
            var typo = key[..i] + (key[i] == 'a' ? 'b' : 'a') + key[(i + 1)..];
            Assert.False(ApiKeyFormat.TryParse(typo, out _), $"a typo at {i} passed");
        }
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("sk_test_")]
    [InlineData("Bearer sk_test_abc")]
    [InlineData("sk_prod_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public void Malformed_IsRejected(string? candidate) => Assert.False(ApiKeyFormat.TryParse(candidate, out _));

    [Fact]
    public void WrongLengthOrAlphabet_IsRejected()
    {
        var key = ApiKeyFormat.Generate(ApiKeyEnvironment.Test);

        Assert.False(ApiKeyFormat.TryParse(key + "0", out _));
        Assert.False(ApiKeyFormat.TryParse(key[..^1], out _));
        Assert.False(ApiKeyFormat.TryParse(key[..20] + "-" + key[21..], out _));
        Assert.False(ApiKeyFormat.TryParse(key.Replace("sk_test_", "sk_live_", StringComparison.Ordinal), out _));
    }
}
