using McpPlatform.Contracts.Keys;

namespace McpPlatform.Access.Api.Tests.Infrastructure;

/// <summary>Keys that are wrong in one precise way.</summary>
public static class TestKeys
{
    /// <summary>The same key with its last checksum character changed: right shape, wrong checksum.</summary>
    public static string WithBadChecksum(string key) => key[..^1] + (key[^1] == 'A' ? 'B' : 'A');

    public static string Live() => ApiKeyFormat.Generate(ApiKeyEnvironment.Live);

    public static string Test() => ApiKeyFormat.Generate(ApiKeyEnvironment.Test);
}
