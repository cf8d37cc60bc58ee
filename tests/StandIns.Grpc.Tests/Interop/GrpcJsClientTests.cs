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
