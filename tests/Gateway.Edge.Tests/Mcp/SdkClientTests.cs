using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using Xunit;

namespace McpPlatform.Gateway.Edge.Tests.Mcp;

/// <summary>The C# SDK client (Streamable HTTP) against the echo sample behind the gateway, dispatcher and worker.</summary>
[Collection(McpPlatformCollection.Name)]
public sealed class SdkClientTests(McpPlatformFixture platform)
{
    [Theory(Timeout = 120_000)]
    [InlineData("echo")]
    [InlineData("echo-session")]
    public async Task SdkClient_InitializeListCallPingProgress_WorksThroughTheDispatcher(string server)
    {
        await using var client = await ConnectAsync(platform.Endpoint(server));

        var tools = await client.ListToolsAsync();
        var echo = await client.CallToolAsync("echo", new Dictionary<string, object?> { ["text"] = "hello through the gateway" });
        await client.PingAsync();
        var progressed = await client.CallToolAsync("progress", new Dictionary<string, object?> { ["steps"] = 3 }, new Progress<ProgressNotificationValue>());

        // Progress itself is asserted on the wire (ErrorPathTests, LegacySseTests, StatelessTests: every notification,
        // its restored token, before the result). The SDK 2.3.1 hands notifications to IProgress from its own loop and
        // drops those it processes after the call's response has removed the handler, so counting them here would
        // test the SDK's scheduling, not the gateway (it failed that way under load with every event on the wire).
        Assert.Contains(tools, t => t.Name == "echo");
        Assert.Equal("hello through the gateway", Assert.IsType<TextContentBlock>(Assert.Single(echo.Content)).Text);
        Assert.NotEqual(true, progressed.IsError);
        Assert.NotNull(client.SessionId);
    }

    [Fact(Timeout = 120_000)]
    public async Task SessionCreatedOnOneReplica_WorksOnTheOther()
    {
        string sessionId;
        await using (var first = await ConnectAsync(platform.Endpoint("echo", 0), ownsSession: false))
        {
            sessionId = first.SessionId!;
            await first.PingAsync();
        }

        await using var second = await McpClient.ResumeSessionAsync(Transport(platform.Endpoint("echo", 1), sessionId), new ResumeClientSessionOptions
        {
            ServerCapabilities = new ServerCapabilities(),
            ServerInfo = new Implementation { Name = "echo", Version = "1" },
            NegotiatedProtocolVersion = "2025-11-25",
        }, Sessionful);
        var echo = await second.CallToolAsync("echo", new Dictionary<string, object?> { ["text"] = "replica one" });

        Assert.Equal("replica one", Assert.IsType<TextContentBlock>(Assert.Single(echo.Content)).Text);
    }

    private static HttpClientTransport Transport(Uri endpoint, string? sessionId = null, bool ownsSession = true) => new(new HttpClientTransportOptions
    {
        Endpoint = endpoint,
        TransportMode = HttpTransportMode.StreamableHttp,
        AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = "Bearer " + McpPlatformFixture.ApiKey },
        KnownSessionId = sessionId,
        OwnsSession = ownsSession,
    });

    /// <summary>The sessionful revision: without it the SDK prefers the stateless 2026-07-28 one (tested elsewhere).</summary>
    private static McpClientOptions Sessionful => new() { ProtocolVersion = "2025-11-25" };

    private static Task<McpClient> ConnectAsync(Uri endpoint, bool ownsSession = true) =>
        McpClient.CreateAsync(Transport(endpoint, ownsSession: ownsSession), Sessionful);
}
