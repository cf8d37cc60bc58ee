using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using Xunit;

namespace McpPlatform.Gateway.Edge.Tests.Mcp.Legacy;

/// <summary>The 2024-11-05 HTTP+SSE transport at <c>/sse/{server}</c>: real SDK clients, two replicas, and the bad paths.</summary>
[Collection(McpPlatformCollection.Name)]
public sealed class LegacySseTests(McpPlatformFixture platform)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Theory(Timeout = 120_000)]
    [InlineData("echo")]
    [InlineData("echo-session")]
    public async Task CSharpSdkClientOverSse_ListsCallsAndPings(string server)
    {
        await using var client = await McpClient.CreateAsync(new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = new Uri(platform.Gateway, "/sse/" + server),
            TransportMode = HttpTransportMode.Sse,
            AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = "Bearer " + McpPlatformFixture.ApiKey },
        }));

        var tools = await client.ListToolsAsync();
        var echo = await client.CallToolAsync("echo", new Dictionary<string, object?> { ["text"] = "over the legacy transport" });
        await client.PingAsync();
        // Progress on the wire is asserted by ProgressPrecedesEachResultOnTheStream: the SDK callback is not (see README).
        var done = await client.CallToolAsync("progress", new Dictionary<string, object?> { ["steps"] = 3 }, new Recorder([]));

        Assert.Contains(tools, t => t.Name == "echo");
        Assert.Equal("over the legacy transport", Assert.IsType<TextContentBlock>(Assert.Single(echo.Content)).Text);
        Assert.Equal("done 3 steps", Assert.IsType<TextContentBlock>(Assert.Single(done.Content)).Text);
    }

    [Fact(Timeout = 120_000)]
    public async Task PostOnTheOtherReplica_AnswerComesOnTheStream()
    {
        using var http = platform.Client();
        using var stream = await SseStream.OpenAsync(http, new Uri(platform.Replica(0), "/sse/echo"));
        using var cts = new CancellationTokenSource(Wait);
        var endpoint = await stream.NextAsync(cts.Token);
        Assert.Equal("endpoint", endpoint?.Type);
        var messages = new Uri(platform.Replica(1), endpoint!.Value.Data);

        var initialize = await PostAsync(http, messages, """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2024-11-05","capabilities":{},"clientInfo":{"name":"raw","version":"1"}}}""");
        var initialized = await stream.NextAsync(cts.Token);
        var call = await PostAsync(http, messages, """{"jsonrpc":"2.0","id":"two","method":"tools/call","params":{"name":"echo","arguments":{"text":"via replica 1"}}}""");
        var answer = await stream.NextAsync(cts.Token);

        Assert.Equal(HttpStatusCode.Accepted, initialize.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, call.StatusCode);
        Assert.Equal("message", initialized?.Type);
        Assert.Equal("2024-11-05", (string?)JsonNode.Parse(initialized!.Value.Data)!["result"]!["protocolVersion"]);
        var result = JsonNode.Parse(answer!.Value.Data)!;
        Assert.Equal("two", (string?)result["id"]);
        Assert.Equal("via replica 1", (string?)result["result"]!["content"]![0]!["text"]);
    }

    [Theory(Timeout = 60_000)]
    [InlineData("echo")]
    [InlineData("echo-session")]
    public async Task ProgressPrecedesEachResultOnTheStream(string server)
    {
        using var http = platform.Client();
        using var stream = await SseStream.OpenAsync(http, new Uri(platform.Gateway, "/sse/" + server));
        using var cts = new CancellationTokenSource(Wait);
        var endpoint = new Uri(platform.Gateway, (await stream.NextAsync(cts.Token))!.Value.Data);
        await PostAsync(http, endpoint, """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2024-11-05","capabilities":{},"clientInfo":{"name":"raw","version":"1"}}}""");
        await stream.NextAsync(cts.Token);
        await PostAsync(http, endpoint, """{"jsonrpc":"2.0","method":"notifications/initialized"}""");

        for (var i = 0; i < 3; i++)
        {
            await PostAsync(http, endpoint, "{\"jsonrpc\":\"2.0\",\"id\":" + (100 + i) + ",\"method\":\"tools/call\",\"params\":{\"name\":\"progress\",\"arguments\":{\"steps\":2},\"_meta\":{\"progressToken\":" + i + "}}}");
            var first = JsonNode.Parse((await stream.NextAsync(cts.Token))!.Value.Data)!;
            var second = JsonNode.Parse((await stream.NextAsync(cts.Token))!.Value.Data)!;
            var result = JsonNode.Parse((await stream.NextAsync(cts.Token))!.Value.Data)!;

            Assert.Equal(i, (int)first["params"]!["progressToken"]!);
            Assert.Equal(2, (int)second["params"]!["progress"]!);
            Assert.Equal(100 + i, (int)result["id"]!);
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task PostToUnknownSession_Is404()
    {
        using var http = platform.Client();

        var response = await PostAsync(http, new Uri(platform.Gateway, "/sse/echo/messages?sessionId=not-a-session"), """{"jsonrpc":"2.0","id":1,"method":"tools/list"}""");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("unknown_session", (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!["data"]!["reason"]);
    }

    [Fact(Timeout = 60_000)]
    public async Task PostToAnotherPrincipalsSession_Is404AndReachesNothing()
    {
        using var owner = platform.Client();
        using var stranger = platform.Client(authenticated: false);
        using var stream = await SseStream.OpenAsync(owner, new Uri(platform.Gateway, "/sse/conformance"));
        using var cts = new CancellationTokenSource(Wait);
        var endpoint = await stream.NextAsync(cts.Token);

        var response = await PostAsync(stranger, new Uri(platform.Gateway, endpoint!.Value.Data), """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2024-11-05","capabilities":{},"clientInfo":{"name":"x","version":"1"}}}""");
        var own = await PostAsync(owner, new Uri(platform.Gateway, endpoint.Value.Data), """{"jsonrpc":"2.0","id":7,"method":"ping"}""");
        var next = await stream.NextAsync(cts.Token);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, own.StatusCode);
        Assert.Equal(7, (int)JsonNode.Parse(next!.Value.Data)!["id"]!);
    }

    [Fact(Timeout = 60_000)]
    public async Task StreamableHttpSessionId_IsUnknownOnTheLegacyEndpoint()
    {
        using var http = platform.Client();
        var init = new HttpRequestMessage(HttpMethod.Post, platform.Endpoint("echo"))
        {
            Content = new StringContent("""{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"x","version":"1"}}}""", Encoding.UTF8, "application/json"),
        };
        init.Headers.Accept.ParseAdd("application/json");
        init.Headers.Accept.ParseAdd("text/event-stream");
        using var opened = await http.SendAsync(init);
        var sessionId = opened.Headers.GetValues("Mcp-Session-Id").Single();

        var response = await PostAsync(http, new Uri(platform.Gateway, "/sse/echo/messages?sessionId=" + sessionId), """{"jsonrpc":"2.0","id":1,"method":"tools/list"}""");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Theory(Timeout = 60_000)]
    [InlineData("/sse/echo/messages", """{"jsonrpc":"2.0","id":1,"method":"tools/list"}""", HttpStatusCode.BadRequest)]
    [InlineData("/sse/echo/messages?sessionId=x", """{"jsonrpc":"2.0","id":1,"method":"tools/list"}""", HttpStatusCode.NotFound)]
    public async Task BadMessagePosts_AreRefused(string path, string body, HttpStatusCode expected)
    {
        using var http = platform.Client();

        var response = await PostAsync(http, new Uri(platform.Gateway, path), body);

        Assert.Equal(expected, response.StatusCode);
    }

    [Fact(Timeout = 60_000)]
    public async Task MalformedMessageOnALiveSession_Is400AndTheStreamStaysUsable()
    {
        using var http = platform.Client();
        using var stream = await SseStream.OpenAsync(http, new Uri(platform.Gateway, "/sse/echo"));
        using var cts = new CancellationTokenSource(Wait);
        var endpoint = new Uri(platform.Gateway, (await stream.NextAsync(cts.Token))!.Value.Data);

        var broken = await PostAsync(http, endpoint, """{"jsonrpc":"2.0","id":1,"method":""");
        var batch = await PostAsync(http, endpoint, """[{"jsonrpc":"2.0","id":1,"method":"ping"}]""");
        var ping = await PostAsync(http, endpoint, """{"jsonrpc":"2.0","id":2,"method":"ping"}""");
        var next = await stream.NextAsync(cts.Token);

        Assert.Equal(HttpStatusCode.BadRequest, broken.StatusCode);
        Assert.Equal(-32700, (int)JsonNode.Parse(await broken.Content.ReadAsStringAsync())!["error"]!["code"]!);
        Assert.Equal(HttpStatusCode.BadRequest, batch.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, ping.StatusCode);
        Assert.Equal(2, (int)JsonNode.Parse(next!.Value.Data)!["id"]!);
    }

    [Fact(Timeout = 60_000)]
    public async Task StreamWithoutCredentials_Is401WithAChallenge()
    {
        using var http = platform.Client(authenticated: false);

        using var stream = await SseStream.OpenAsync(http, new Uri(platform.Gateway, "/sse/echo"));

        Assert.Equal(HttpStatusCode.Unauthorized, stream.Response.StatusCode);
        Assert.NotEmpty(stream.Response.Headers.WwwAuthenticate);
    }

    [Fact(Timeout = 60_000)]
    public async Task StreamForUnknownServer_Is404()
    {
        using var http = platform.Client();

        using var stream = await SseStream.OpenAsync(http, new Uri(platform.Gateway, "/sse/no-such-server"));

        Assert.Equal(HttpStatusCode.NotFound, stream.Response.StatusCode);
    }

    [Fact(Timeout = 60_000)]
    public async Task ClosedStream_EndsTheSession()
    {
        using var http = platform.Client();
        Uri endpoint;
        using (var stream = await SseStream.OpenAsync(http, new Uri(platform.Gateway, "/sse/echo")))
        {
            using var cts = new CancellationTokenSource(Wait);
            endpoint = new Uri(platform.Gateway, (await stream.NextAsync(cts.Token))!.Value.Data);
        }

        await Support.Eventually.UntilAsync(async () =>
            (await PostAsync(http, endpoint, """{"jsonrpc":"2.0","id":1,"method":"ping"}""")).StatusCode == HttpStatusCode.NotFound, "the session ended with its stream");
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient http, Uri url, string body) =>
        http.PostAsync(url, new StringContent(body, Encoding.UTF8, "application/json"));

    private sealed class Recorder(List<ProgressNotificationValue> into) : IProgress<ProgressNotificationValue>
    {
        public void Report(ProgressNotificationValue value)
        {
            lock (into)
            {
                into.Add(value);
            }
        }
    }
}
