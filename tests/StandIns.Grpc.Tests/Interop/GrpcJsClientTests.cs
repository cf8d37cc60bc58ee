using System.Globalization;
using McpPlatform.StandIns.Grpc.Tests.Infrastructure;

namespace McpPlatform.StandIns.Grpc.Tests.Interop;

/// <summary>A real @grpc/grpc-js client calls our server, one scenario per Node process.</summary>
public sealed class GrpcJsClientTests : IAsyncLifetime
{
    private GrpcTestServer _server = null!;

    public async Task InitializeAsync() => _server = await GrpcTestServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Unary_EchoesPayloadAndMetadataIncludingBinary()
    {
        var result = await NodePeer.RunClientAsync(_server.Port, "unary");

        Assert.Equal(0, result.GetProperty("code").GetInt32());
        Assert.Equal("ping", result.GetProperty("payload").GetString());
        Assert.Equal("hello", result.GetProperty("headerAscii").GetString());
        Assert.Equal("AAEC/w==", result.GetProperty("headerBin").GetString());
        Assert.Equal("hello", result.GetProperty("trailerAscii").GetString());
        Assert.Equal("AAEC/w==", result.GetProperty("trailerBin").GetString());
    }

    [Fact]
    public async Task ServerStreaming_DeliversEveryMessageInOrder()
    {
        var result = await NodePeer.RunClientAsync(_server.Port, "serverStream");

        Assert.Equal([0, 1, 2, 3, 4], result.GetProperty("indexes").EnumerateArray().Select(e => e.GetInt32()));
    }

    [Fact]
    public async Task ClientStreaming_CountsEveryMessage()
    {
        var result = await NodePeer.RunClientAsync(_server.Port, "clientStream");

        Assert.Equal(0, result.GetProperty("code").GetInt32());
        Assert.Equal(10, result.GetProperty("count").GetInt32());
        Assert.Equal(10_000, result.GetProperty("totalBytes").GetInt32());
    }

    [Fact]
    public async Task Bidirectional_PingPongsAndEndsCleanly()
    {
        var result = await NodePeer.RunClientAsync(_server.Port, "bidi");

        Assert.Equal(10, result.GetProperty("matched").GetInt32());
        Assert.True(result.GetProperty("done").GetBoolean());
    }

    [Fact]
    public async Task HandlerStatus_ReachesClientWithPercentEncodedMessageAndTrailers()
    {
        var result = await NodePeer.RunClientAsync(_server.Port, "error");

        Assert.Equal(9, result.GetProperty("code").GetInt32());
        Assert.Equal("precondition failed: 50% ünïcode ✓\nline2", result.GetProperty("details").GetString());
        Assert.Equal("detail", result.GetProperty("trailer").GetString());
    }

    [Fact]
    public async Task HandlerException_IsInternalWithoutItsMessage()
    {
        var result = await NodePeer.RunClientAsync(_server.Port, "throws");

        Assert.Equal(13, result.GetProperty("code").GetInt32());
        Assert.DoesNotContain("secret", result.GetProperty("details").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deadline_ExpiresAtClientAndCancelsHandler()
    {
        var result = await NodePeer.RunClientAsync(_server.Port, "deadline");

        Assert.Equal(4, result.GetProperty("code").GetInt32());
        Assert.True(result.GetProperty("elapsedMs").GetInt32() < 5_000);
        await _server.Calls.WaitAsync("node-deadline", TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Multiplexed_CallsInterleavedOnOneStream_EachGetsItsEventsAndItsOwnEnd()
    {
        var result = await NodePeer.RunClientAsync(_server.Port, "mux");

        Assert.False(result.TryGetProperty("exception", out var exception), exception.ToString());
        var calls = result.GetProperty("calls");
        for (var id = 1; id <= 8; id++)
        {
            var call = calls.GetProperty(id.ToString(CultureInfo.InvariantCulture));
            Assert.Equal(Enumerable.Range(0, id), call.GetProperty("indexes").EnumerateArray().Select(e => e.GetInt32()));
            Assert.All(call.GetProperty("payloads").EnumerateArray(), p => Assert.Equal($"c{id}", p.GetString()));
            Assert.Equal(1, call.GetProperty("ended").GetInt32());
            Assert.Equal(0, call.GetProperty("code").GetInt32());
        }

        // The cancel frame reached the handler's token, and nothing more was sent for that call.
        await _server.Calls.WaitAsync("node-mux-cancel", TimeSpan.FromSeconds(10));
        Assert.False(calls.TryGetProperty("9", out var cancelled) && cancelled.GetProperty("ended").GetInt32() > 0, "a cancelled call got an end frame");
        var status = calls.GetProperty("10");
        Assert.Equal(9, status.GetProperty("code").GetInt32());
        Assert.Equal("precondition failed ✓", status.GetProperty("detail").GetString());
        Assert.Equal(4, calls.GetProperty("11").GetProperty("code").GetInt32());
        await _server.Calls.WaitAsync("node-mux-deadline", TimeSpan.FromSeconds(10));
        var thrown = calls.GetProperty("12");
        Assert.Equal(13, thrown.GetProperty("code").GetInt32());
        Assert.DoesNotContain("secret", thrown.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var zero = calls.GetProperty("0");
        Assert.Equal(3, zero.GetProperty("code").GetInt32());
        Assert.Empty(zero.GetProperty("payloads").EnumerateArray());
        // Closing our side after the last call ends the stream cleanly.
        Assert.Equal("end", result.GetProperty("stream").GetString());
    }

    [Fact]
    public async Task Cancel_ResetsStreamAndCancelsHandlerToken()
    {
        var result = await NodePeer.RunClientAsync(_server.Port, "cancel");

        Assert.Equal(1, result.GetProperty("code").GetInt32());
        await _server.Calls.WaitAsync("node-cancel", TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task LargeMessages_OfFiveAndSixMiB_RoundTripIntact()
    {
        var result = await NodePeer.RunClientAsync(_server.Port, "large");

        Assert.Equal(0, result.GetProperty("code").GetInt32());
        Assert.Equal(5 * 1024 * 1024, result.GetProperty("echoedBytes").GetInt32());
        Assert.True(result.GetProperty("echoedIntact").GetBoolean());
        Assert.Equal(6 * 1024 * 1024, result.GetProperty("bigBytes").GetInt32());
        Assert.Equal(3 * 5 * 1024 * 1024, result.GetProperty("bidiBytes").GetInt32());
    }

    [Fact]
    public async Task TwoHundredConcurrentStreams_AllComplete()
    {
        var result = await NodePeer.RunClientAsync(_server.Port, "concurrent");

        Assert.Equal(200, result.GetProperty("ok").GetInt32());
    }

    [Fact]
    public async Task UnknownMethodAndService_AreUnimplemented()
    {
        var result = await NodePeer.RunClientAsync(_server.Port, "unimplemented");

        Assert.Equal(12, result.GetProperty("methodCode").GetInt32());
        Assert.Equal(12, result.GetProperty("serviceCode").GetInt32());
    }

    [Fact]
    public async Task HealthCheckAndWatch_ReportServing()
    {
        var result = await NodePeer.RunClientAsync(_server.Port, "health");

        Assert.Equal("SERVING", result.GetProperty("status").GetString());
        Assert.Equal(5, result.GetProperty("unknownCode").GetInt32());
        Assert.Equal("SERVING", result.GetProperty("watched").GetString());
    }
}
