namespace McpPlatform.Redis.Tests.Infrastructure;

/// <summary>The tests that share one <see cref="RedisFixture"/> server (they run one after another).</summary>
[CollectionDefinition(Name)]
public sealed class RedisCollection : ICollectionFixture<RedisFixture>
{
    public const string Name = "redis";
}
