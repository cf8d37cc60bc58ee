using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using Xunit;

namespace McpPlatform.Gateway.Edge.Tests.Mcp.Stateless;

/// <summary>The 2026-07-28 revision on <c>/mcp/{server}</c>: the C# SDK client, raw requests, and the header and version errors.</summary>
[Collection(McpPlatformCollection.Name)]
public sealed class StatelessTests(McpPlatformFixture platform)
{
    private const string Meta = "\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":\"2026-07-28\",\"io.modelcontextprotocol/clientInfo\":{\"name\":\"raw\",\"version\":\"1\"},\"io.modelcontextprotocol/clientCapabilities\":{}}";

    [Fact(Timeout = 120_000)]
    public async Task CSharpSdkClientOnRevision20260728_DiscoversListsAndCallsWithoutASession()
    {
        await using var client = await McpClient.CreateAsync(Transport("echo"), new McpClientOptions { ProtocolVersion = "2026-07-28" });

        var tools = await client.ListToolsAsync();
        var echo = await client.CallToolAsync("echo", new Dictionary<string, object?> { ["text"] = "stateless" });
        var done = await client.CallToolAsync("progress", new Dictionary<string, object?> { ["steps"] = 2 });

        Assert.Equal("2026-07-28", client.NegotiatedProtocolVersion);
        Assert.Null(client.SessionId);
        Assert.Equal("mcp-platform-echo", client.ServerInfo?.Name);
        Assert.Contains(tools, t => t.Name == "echo");
        Assert.Equal("stateless", Assert.IsType<TextContentBlock>(Assert.Single(echo.Content)).Text);
        Assert.Equal("done 2 steps", Assert.IsType<TextContentBlock>(Assert.Single(done.Content)).Text);
    }

    [Fact(Timeout = 120_000)]
    public async Task CSharpSdkClientUnpinned_UsesRevision20260728ForASessionIsolationServer()
    {
        await using var client = await McpClient.CreateAsync(Transport("echo-session"));

        var echo = await client.CallToolAsync("echo", new Dictionary<string, object?> { ["text"] = "a process of its own" });

        Assert.Equal("2026-07-28", client.NegotiatedProtocolVersion);
        Assert.Null(client.SessionId);
        Assert.Equal("a process of its own", Assert.IsType<TextContentBlock>(Assert.Single(echo.Content)).Text);
    }

    [Fact(Timeout = 60_000)]
    public async Task Discover_DescribesTheUpstreamWithoutASession()
    {
        var (response, body) = await PostAsync("server/discover", null, Request("\"d\"", "server/discover"), sessionId: "ignored-session-id");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("Mcp-Session-Id"));
        var result = body!["result"]!;
        Assert.Equal("complete", (string?)result["resultType"]);
        Assert.Contains("2026-07-28", result["supportedVersions"]!.AsArray().Select(v => (string?)v));
        Assert.Equal("mcp-platform-echo", (string?)result["_meta"]!["io.modelcontextprotocol/serverInfo"]!["name"]);
        Assert.NotNull(result["capabilities"]!["tools"]);
        Assert.NotNull(result["ttlMs"]);
    }

    [Fact(Timeout = 60_000)]
    public async Task ToolsList_CarriesResultTypeAndCacheFields()
    {
        var (response, body) = await PostAsync("tools/list", null, Request("1", "tools/list"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = body!["result"]!;
        Assert.Equal("complete", (string?)result["resultType"]);
        Assert.Equal(60_000, (long)result["ttlMs"]!);
        Assert.Equal("private", (string?)result["cacheScope"]);
        Assert.Contains(result["tools"]!.AsArray(), t => (string?)t!["name"] == "echo");
    }

    [Fact(Timeout = 60_000)]
    public async Task ToolCallWithProgressToken_StreamsProgressThenTheCompleteResult()
    {
        var (response, text) = await SendAsync("tools/call", "progress", """{"jsonrpc":"2.0","id":9,"method":"tools/call","params":{"name":"progress","arguments":{"steps":2},"_meta":{"progressToken":"tok","io.modelcontextprotocol/protocolVersion":"2026-07-28"}}}""");
        var events = text.Split('\n').Where(l => l.StartsWith("data: {", StringComparison.Ordinal)).Select(l => JsonNode.Parse(l[6..])!).ToList();

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(3, events.Count);
        Assert.All(events.Take(2), e => Assert.Equal("tok", (string?)e["params"]!["progressToken"]));
        Assert.Equal("complete", (string?)events[2]["result"]!["resultType"]);
        Assert.Equal(9, (int)events[2]["id"]!);
    }

    [Fact(Timeout = 60_000)]
    public async Task Base64McpName_IsDecodedBeforeTheComparison()
    {
        var encoded = "=?base64?" + Convert.ToBase64String(Encoding.UTF8.GetBytes("echo")) + "?=";

        var (response, body) = await PostAsync("tools/call", encoded, Request("1", "tools/call", "\"name\":\"echo\",\"arguments\":{\"text\":\"b64\"},"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("b64", (string?)body!["result"]!["content"]![0]!["text"]);
        Assert.Equal("complete", (string?)body["result"]!["resultType"]);
    }

    [Theory(Timeout = 60_000)]
    [InlineData(null, null, "tools/list", -32020)]
    [InlineData("tools/call", null, "tools/call", -32020)]
    [InlineData("tools/call", "whoami", "tools/call", -32020)]
    [InlineData("tools/list", null, "tools/call", -32020)]
    public async Task MissingOrMismatchedHeaders_Are400HeaderMismatch(string? methodHeader, string? nameHeader, string bodyMethod, int code)
    {
        var (response, body) = await PostAsync(methodHeader, nameHeader, Request("5", bodyMethod, "\"name\":\"echo\",\"arguments\":{\"text\":\"x\"},"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(code, (int)body!["error"]!["code"]!);
        Assert.Equal(5, (int)body["id"]!);
    }

    [Fact(Timeout = 60_000)]
    public async Task MetaVersionDifferentFromTheHeader_Is400HeaderMismatch()
    {
        var (response, body) = await PostAsync("tools/list", null, """{"jsonrpc":"2.0","id":1,"method":"tools/list","params":{"_meta":{"io.modelcontextprotocol/protocolVersion":"2025-11-25"}}}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(-32020, (int)body!["error"]!["code"]!);
    }

    [Fact(Timeout = 60_000)]
    public async Task UnknownVersion_Is400UnsupportedProtocolVersionListingTheSupportedOnes()
    {
        var (response, body) = await PostAsync("tools/list", null, """{"jsonrpc":"2.0","id":1,"method":"tools/list","params":{"_meta":{"io.modelcontextprotocol/protocolVersion":"2099-01-01"}}}""", version: "2099-01-01");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(-32022, (int)body!["error"]!["code"]!);
        Assert.Equal("2099-01-01", (string?)body["error"]!["data"]!["requested"]);
        Assert.Contains("2026-07-28", body["error"]!["data"]!["supported"]!.AsArray().Select(v => (string?)v));
    }

    [Theory(Timeout = 60_000)]
    [InlineData("initialize")]
    [InlineData("ping")]
    [InlineData("resources/subscribe")]
    public async Task MethodsTheRevisionRemoved_Are404MethodNotFound(string method)
    {
        var (response, body) = await PostAsync(method, null, Request("1", method));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(-32601, (int)body!["error"]!["code"]!);
    }

    [Fact(Timeout = 60_000)]
    public async Task SessionIsolationServer_AnswersThroughAPrivateSession()
    {
        var (response, body) = await PostAsync("tools/list", null, Request("1", "tools/list"), server: "echo-session");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("Mcp-Session-Id"));
        Assert.Equal("complete", (string?)body!["result"]!["resultType"]);
        Assert.Contains(body["result"]!["tools"]!.AsArray(), t => (string?)t!["name"] == "echo");
    }

    [Fact(Timeout = 60_000)]
    public async Task ListenOnASessionIsolationServer_Is400()
    {
        var (response, body) = await PostAsync("subscriptions/listen", null, Request("1", "subscriptions/listen"), server: "echo-session");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(-32600, (int)body!["error"]!["code"]!);
    }

    [Fact(Timeout = 60_000)]
    public async Task ClientResponseOrBatch_Is400()
    {
        var (single, _) = await PostAsync("tools/list", null, """{"jsonrpc":"2.0","id":1,"result":{}}""");
        var (batch, _) = await PostAsync("tools/list", null, "[" + Request("1", "tools/list") + "]");

        Assert.Equal(HttpStatusCode.BadRequest, single.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, batch.StatusCode);
    }

    [Fact(Timeout = 60_000)]
    public async Task WithoutCredentials_Is401()
    {
        var (response, _) = await PostAsync("tools/list", null, Request("1", "tools/list"), authenticated: false);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    private static string Request(string id, string method, string otherParams = "") =>
        "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"" + method + "\",\"params\":{" + otherParams + Meta + "}}";

    private HttpClientTransport Transport(string server) => new(new HttpClientTransportOptions
    {
        Endpoint = platform.Endpoint(server),
        TransportMode = HttpTransportMode.StreamableHttp,
        AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = "Bearer " + McpPlatformFixture.ApiKey },
    });

    private async Task<(HttpResponseMessage Response, JsonNode? Body)> PostAsync(string? method, string? name, string json, string version = "2026-07-28", string server = "echo", string? sessionId = null, bool authenticated = true)
    {
        var (response, text) = await SendAsync(method, name, json, version, server, sessionId, authenticated);
        return (response, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    private async Task<(HttpResponseMessage Response, string Text)> SendAsync(string? method, string? name, string json, string version = "2026-07-28", string server = "echo", string? sessionId = null, bool authenticated = true)
    {
        using var http = platform.Client(authenticated);
        var request = new HttpRequestMessage(HttpMethod.Post, platform.Endpoint(server)) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/event-stream");
        request.Headers.Add("MCP-Protocol-Version", version);
        if (method is not null)
        {
            request.Headers.Add("Mcp-Method", method);
        }

        if (name is not null)
        {
            request.Headers.Add("Mcp-Name", name);
        }

        if (sessionId is not null)
        {
            request.Headers.Add("Mcp-Session-Id", sessionId);
        }

        var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response, text);
    }
}
