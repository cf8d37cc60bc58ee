using System.Text;
using McpPlatform.Protocol.JsonRpc;

namespace McpPlatform.Protocol.Tests.JsonRpc;

public sealed class JsonRpcEnvelopeTests
{
    [Theory]
    [InlineData("""{"jsonrpc":"2.0","id":"a","method":"tools/call","params":{"_meta":{"progressToken":5}}}""", "Request", "\"a\"", "5")]
    [InlineData("""{"jsonrpc":"2.0","id":12,"result":{"x":[1,2,{"id":3}]}}""", "Response", "12", "")]
    [InlineData("""{"jsonrpc":"2.0","id":12,"error":{"code":-1,"message":"m"}}""", "Response", "12", "")]
    [InlineData("""{"method":"notifications/cancelled","params":{"requestId":"r-1"},"jsonrpc":"2.0"}""", "Notification", "", "")]
    [InlineData("""not json""", "Invalid", "", "")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"x\"", "Invalid", "", "")]
    [InlineData("""[{"jsonrpc":"2.0","id":1,"method":"x"}]""", "Invalid", "", "")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"x"} trailing""", "Invalid", "", "")]
    [InlineData("""{"jsonrpc":"2.0","id":1}""", "Invalid", "1", "")]
    [InlineData("""{"jsonrpc":"2.0","id":{"a":1},"method":"x"}""", "Notification", "", "")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":7}""", "Invalid", "1", "")]
    public void Parse_FindsOnlyTheEnvelope(string json, string kind, string id, string metaToken)
    {
        var bytes = Encoding.UTF8.GetBytes(json);

        var envelope = JsonRpcEnvelope.Parse(bytes);

        Assert.Equal(kind, envelope.Kind.ToString());
        Assert.Equal(id, Encoding.UTF8.GetString(bytes.AsSpan()[envelope.Id]));
        Assert.Equal(metaToken, Encoding.UTF8.GetString(bytes.AsSpan()[envelope.MetaProgressToken]));
    }

    [Fact]
    public void Parse_ReadsNameUriCursorAndRequestId()
    {
        var bytes = """{"jsonrpc":"2.0","id":3,"method":"tools\/call","params":{"name":"read_\u0066ile","uri":"test://x","cursor":"c1","requestId":9,"progressToken":"t"}}"""u8;

        var envelope = JsonRpcEnvelope.Parse(bytes);

        Assert.Equal(JsonRpcKind.Request, envelope.Kind);
        Assert.True(envelope.HasVersion);
        Assert.Equal("tools/call", envelope.GetMethod(bytes));
        Assert.Equal("read_file", envelope.GetParamsName(bytes));
        Assert.Equal("test://x", envelope.GetParamsUri(bytes));
        Assert.True(envelope.HasCursor);
        Assert.False(envelope.IsError);
        Assert.Equal("9", Encoding.UTF8.GetString(bytes[envelope.ParamsRequestId]));
        Assert.Equal("\"t\"", Encoding.UTF8.GetString(bytes[envelope.ParamsProgressToken]));
        Assert.Equal("3", Encoding.UTF8.GetString(envelope.RawId(bytes)));
    }

    [Fact]
    public void Parse_WithoutVersion_KeepsTheKindButSaysSo()
    {
        var bytes = """{"jsonrpc":"1.0","id":1,"method":"ping"}"""u8;

        var envelope = JsonRpcEnvelope.Parse(bytes);

        Assert.Equal(JsonRpcKind.Request, envelope.Kind);
        Assert.False(envelope.HasVersion);
    }

    [Fact]
    public void Parse_DeepNesting_IsInvalidNotAnException()
    {
        var json = """{"jsonrpc":"2.0","id":1,"method":"x","params":{"a":""" + new string('[', 300) + new string(']', 300) + "}}";

        var envelope = JsonRpcEnvelope.Parse(Encoding.UTF8.GetBytes(json));

        Assert.Equal(JsonRpcKind.Invalid, envelope.Kind);
    }

    [Fact]
    public void Parse_InvalidUtf8_IsInvalid()
    {
        byte[] bytes = [.. "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"x\",\"params\":{\"name\":\""u8, 0xC3, 0x28, .. "\"}}"u8];

        Assert.Equal(JsonRpcKind.Invalid, JsonRpcEnvelope.Parse(bytes).Kind);
    }

    [Fact]
    public void MethodIs_ComparesTheQuotedToken()
    {
        var bytes = """{"jsonrpc":"2.0","method":"notifications/tools/list_changed"}"""u8;
        var envelope = JsonRpcEnvelope.Parse(bytes);

        Assert.True(envelope.MethodIs(bytes, "\"notifications/tools/list_changed\""u8));
        Assert.True(envelope.MethodEndsWith(bytes, "list_changed\""u8));
        Assert.False(envelope.MethodIs(bytes, "\"ping\""u8));
    }
}
