namespace McpPlatform.Redis.Tests.Client;

public sealed class ConnectionStringTests
{
    [Fact]
    public void StackExchangeFormat_ParsesEveryOption()
    {
        var options = RedisOptions.Parse("cache.internal:6390,user=app,password=s3cr=t,ssl=true,sslHost=redis.example,abortConnect=false,defaultDatabase=2,connectTimeout=1500,syncTimeout=250,name=gateway,protocol=resp2,allowAdmin=true");

        Assert.Equal("cache.internal", options.Host);
        Assert.Equal(6390, options.Port);
        Assert.Equal("app", options.User);
        Assert.Equal("s3cr=t", options.Password);
        Assert.True(options.Ssl);
        Assert.Equal("redis.example", options.SslHost);
        Assert.False(options.AbortOnConnectFail);
        Assert.Equal(2, options.DefaultDatabase);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), options.ConnectTimeout);
        Assert.Equal(TimeSpan.FromMilliseconds(250), options.CommandTimeout);
        Assert.Equal("gateway", options.ClientName);
        Assert.Equal(RedisProtocol.Resp2, options.Protocol);
    }

    [Theory]
    [InlineData("localhost", "localhost", 6379)]
    [InlineData("localhost,ssl=true", "localhost", 6380)]
    [InlineData("10.0.0.5:7000", "10.0.0.5", 7000)]
    [InlineData("[::1]:7001", "::1", 7001)]
    public void EndPoint_DefaultsThePortAsStackExchangeRedisDoes(string connectionString, string host, int port)
    {
        var options = RedisOptions.Parse(connectionString);

        Assert.Equal(host, options.Host);
        Assert.Equal(port, options.Port);
    }

    [Theory]
    [InlineData("password=x", "names no endpoint")]
    [InlineData("localhost,ssl=maybe", "'ssl' must be true or false")]
    [InlineData("localhost,syncTimeout=-5", "'syncTimeout' must be a non-negative integer")]
    [InlineData("localhost,bogus=1", "'bogus' is not supported")]
    [InlineData("localhost,protocol=resp9", "resp2 or resp3")]
    public void BadConnectionString_ThrowsNamingTheProblem(string connectionString, string expected)
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => RedisOptions.Parse(connectionString));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToString_MasksThePassword()
    {
        var text = RedisOptions.Parse("localhost,password=hunter2").ToString();

        Assert.DoesNotContain("hunter2", text, StringComparison.Ordinal);
    }
}
