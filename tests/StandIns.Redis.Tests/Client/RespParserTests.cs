using System.Text;
using McpPlatform.Redis.Protocol;

namespace McpPlatform.Redis.Tests.Client;

public sealed class RespParserTests
{
    [Theory]
    [InlineData("+OK\r\n", RedisResultType.SimpleString, "OK")]
    [InlineData(":-42\r\n", RedisResultType.Integer, "-42")]
    [InlineData("$5\r\nhe\r\no\r\n", RedisResultType.BulkString, "he\r\no")]
    [InlineData("$-1\r\n", RedisResultType.Null, "(nil)")]
    [InlineData("_\r\n", RedisResultType.Null, "(nil)")]
    [InlineData(",3.25\r\n", RedisResultType.Double, "3.25")]
    [InlineData("#t\r\n", RedisResultType.Boolean, "1")]
    [InlineData("(12345678901234567890\r\n", RedisResultType.BigNumber, "12345678901234567890")]
    [InlineData("=7\r\ntxt:abc\r\n", RedisResultType.BulkString, "abc")]
    [InlineData("*2\r\n:1\r\n$1\r\nx\r\n", RedisResultType.Array, "[1, x]")]
    [InlineData("%1\r\n+k\r\n:2\r\n", RedisResultType.Map, "[k, 2]")]
    [InlineData("~1\r\n+m\r\n", RedisResultType.Set, "[m]")]
    [InlineData(">2\r\n+message\r\n+x\r\n", RedisResultType.Push, "[message, x]")]
    [InlineData("|1\r\n+ttl\r\n:3\r\n+real\r\n", RedisResultType.SimpleString, "real")]
    public void CompleteReply_ParsesToItsType(string wire, RedisResultType type, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(wire);

        Assert.True(RespParser.TryRead(bytes, out var result, out var consumed));

        Assert.Equal(bytes.Length, consumed);
        Assert.Equal(type, result!.Type);
        Assert.Equal(text, result.ToString());
    }

    [Fact]
    public void EveryPrefixOfAReply_IsIncomplete()
    {
        var bytes = "*3\r\n$3\r\nfoo\r\n%1\r\n+a\r\n*1\r\n:7\r\n,1.5\r\n"u8.ToArray();

        for (var length = 0; length < bytes.Length; length++)
        {
            Assert.False(RespParser.TryRead(bytes.AsSpan(0, length), out _, out _));
        }

        Assert.True(RespParser.TryRead(bytes, out var result, out _));
        Assert.Equal("[foo, [a, [7]], 1.5]", result!.ToString());
    }

    [Theory]
    [InlineData("?what\r\n")]
    [InlineData("$abc\r\n")]
    public void CorruptReply_Throws(string wire) =>
        Assert.ThrowsAny<RedisException>(() => RespParser.TryRead(Encoding.ASCII.GetBytes(wire), out _, out _));

    [Fact]
    public void ErrorReply_IsAnErrorResult()
    {
        Assert.True(RespParser.TryRead("-WRONGTYPE Operation against a key\r\n"u8, out var result, out _));

        Assert.Equal(RedisResultType.Error, result!.Type);
        Assert.Equal("WRONGTYPE Operation against a key", result.ToString());
    }
}
