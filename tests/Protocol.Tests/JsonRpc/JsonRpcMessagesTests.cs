using System.Text;
using System.Text.Json;
using McpPlatform.Protocol.JsonRpc;

namespace McpPlatform.Protocol.Tests.JsonRpc;

public sealed class JsonRpcMessagesTests
{
    [Theory]
    [InlineData("7", "7")]
    [InlineData("\"req-7\"", "\"req-7\"")]
    [InlineData("", "null")]
    public void Error_KeepsTheIdsTypeAndNamesTheReason(string rawId, string expectedId)
    {
        var bytes = JsonRpcMessages.Error(Encoding.UTF8.GetBytes(rawId), JsonRpcErrorCodes.Busy, "Server \"echo\" is busy <retry>", "busy", "echo");

        using var document = JsonDocument.Parse(bytes);
        var root = document.RootElement;
        Assert.Equal("2.0", root.GetProperty("jsonrpc").GetString());
        Assert.Equal(expectedId, root.GetProperty("id").GetRawText());
        Assert.Equal(-32006, root.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Equal("Server \"echo\" is busy <retry>", root.GetProperty("error").GetProperty("message").GetString());
        Assert.Equal("busy", root.GetProperty("error").GetProperty("data").GetProperty("reason").GetString());
        Assert.Equal("echo", root.GetProperty("error").GetProperty("data").GetProperty("server").GetString());
    }

    [Fact]
    public void Error_WithoutReason_HasNoData()
    {
        var bytes = JsonRpcMessages.Error("1"u8, JsonRpcErrorCodes.ParseError, "Parse error");

        using var document = JsonDocument.Parse(bytes);
        Assert.False(document.RootElement.GetProperty("error").TryGetProperty("data", out _));
    }

    [Fact]
    public void Result_SplicesARawResult_AndResultOfReadsItBack()
    {
        var bytes = JsonRpcMessages.Result("\"a\""u8, """{"tools":[{"name":"echo"}]}"""u8);

        Assert.Equal("""{"jsonrpc":"2.0","id":"a","result":{"tools":[{"name":"echo"}]}}""", Encoding.UTF8.GetString(bytes));
        Assert.Equal("""{"tools":[{"name":"echo"}]}""", Encoding.UTF8.GetString(JsonRpcMessages.ResultOf(bytes)!.Value.Span));
    }

    [Fact]
    public void ResultOf_ErrorOrGarbage_IsNull()
    {
        Assert.Null(JsonRpcMessages.ResultOf("""{"jsonrpc":"2.0","id":1,"error":{"code":1,"message":"x"}}"""u8.ToArray()));
        Assert.Null(JsonRpcMessages.ResultOf("nope"u8.ToArray()));
    }
}
