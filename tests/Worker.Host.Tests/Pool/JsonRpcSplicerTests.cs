using System.Text;
using McpPlatform.Protocol.JsonRpc;
using McpPlatform.Worker.Host.Pool;

namespace McpPlatform.Worker.Host.Tests.Pool;

/// <summary>The pool's id and progress-token splicing over envelopes read by the shared parser (its own cases are in Protocol.Tests).</summary>
public sealed class JsonRpcSplicerTests
{
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
