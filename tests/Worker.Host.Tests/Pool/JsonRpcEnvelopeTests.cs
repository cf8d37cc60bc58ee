using System.Text;
using McpPlatform.Worker.Host.Pool;

namespace McpPlatform.Worker.Host.Tests.Pool;

public sealed class JsonRpcEnvelopeTests
{
    [Theory]
    [InlineData("""{"jsonrpc":"2.0","id":"a","method":"tools/call","params":{"_meta":{"progressToken":5}}}""", "Request", "\"a\"", "5")]
    [InlineData("""{"jsonrpc":"2.0","id":12,"result":{"x":[1,2,{"id":3}]}}""", "Response", "12", "")]
    [InlineData("""{"method":"notifications/cancelled","params":{"requestId":"r-1"},"jsonrpc":"2.0"}""", "Notification", "", "")]
    [InlineData("""not json""", "Invalid", "", "")]
    [InlineData("""[{"jsonrpc":"2.0","id":1,"method":"x"}]""", "Invalid", "", "")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"x"} trailing""", "Invalid", "", "")]
    public void Parse_FindsOnlyTheEnvelope(string json, string kind, string id, string metaToken)
    {
        var bytes = Encoding.UTF8.GetBytes(json);

        var envelope = JsonRpcEnvelope.Parse(bytes);

        Assert.Equal(kind, envelope.Kind.ToString());
        Assert.Equal(id, Encoding.UTF8.GetString(bytes.AsSpan()[envelope.Id]));
        Assert.Equal(metaToken, Encoding.UTF8.GetString(bytes.AsSpan()[envelope.MetaProgressToken]));
    }

    [Fact]
    public void Splice_ReplacesIdAndTokenAndKeepsTheRest()
    {
        var bytes = """{"jsonrpc":"2.0","id":"client-7","method":"tools/call","params":{"name":"x","_meta":{"progressToken":"p"}}}"""u8.ToArray();
        var envelope = JsonRpcEnvelope.Parse(bytes);

        using var spliced = JsonRpcSplicer.Splice(bytes, envelope.MetaProgressToken, "\"w12\""u8, envelope.Id, "12"u8);

        Assert.Equal("""{"jsonrpc":"2.0","id":12,"method":"tools/call","params":{"name":"x","_meta":{"progressToken":"w12"}}}""",
            Encoding.UTF8.GetString(spliced.Json.Span));
    }

    [Fact]
    public void Tokens_RoundTrip()
    {
        Span<byte> buffer = stackalloc byte[32];
        var length = JsonRpcSplicer.FormatToken(123456789, buffer);

        Assert.True(JsonRpcSplicer.TryParseToken(buffer[..length], out var id));
        Assert.Equal(123456789, id);
        Assert.False(JsonRpcSplicer.TryParseToken("\"tok\""u8, out _));
    }
}
