using McpPlatform.Redis.Tests.Infrastructure;

namespace McpPlatform.Redis.Tests.Client;

public sealed class AuthTests : IAsyncLifetime
{
    private RedisServer? _server;

    private RedisServer Server => _server!;

    public async Task InitializeAsync() =>
        _server = await RedisServer.StartAsync("--requirepass", "default-secret", "--user", "alice", "on", ">wonderland", "~*", "&*", "+@all");

    public async Task DisposeAsync() => await Server.DisposeAsync();

    [Theory]
    [InlineData("resp2")]
    [InlineData("resp3")]
    public async Task AclUserWithPassword_Connects(string protocol)
    {
        await using var redis = await RedisMultiplexer.ConnectAsync($"{Server.EndPoint},user=alice,password=wonderland,protocol={protocol}");

        Assert.Equal("alice", (await redis.GetDatabase().ExecuteAsync("ACL", "WHOAMI")).ToString());
    }

    [Fact]
    public async Task DefaultUserPassword_Connects()
    {
        await using var redis = await RedisMultiplexer.ConnectAsync($"{Server.EndPoint},password=default-secret");

        Assert.Equal("default", (await redis.GetDatabase().ExecuteAsync("ACL", "WHOAMI")).ToString());
    }

    [Theory]
    [InlineData("resp2")]
    [InlineData("resp3")]
    public async Task WrongPassword_FailsAtOnceWithAClearMessageAndNoSecret(string protocol)
    {
        var error = await Assert.ThrowsAsync<RedisAuthenticationException>(() =>
            RedisMultiplexer.ConnectAsync($"{Server.EndPoint},user=alice,password=not-the-password,protocol={protocol},connectRetry=5"));

        Assert.Contains("refused the connection's credentials", error.Message, StringComparison.Ordinal);
        Assert.Contains("WRONGPASS", error.Message, StringComparison.Ordinal);
        Assert.Contains("user= (alice)", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-password", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("resp2")]
    [InlineData("resp3")]
    public async Task MissingPassword_SaysThatOneIsRequired(string protocol)
    {
        var error = await Assert.ThrowsAsync<RedisAuthenticationException>(() =>
            RedisMultiplexer.ConnectAsync($"{Server.EndPoint},protocol={protocol}"));

        Assert.Contains("requires authentication: add password=", error.Message, StringComparison.Ordinal);
    }
}
