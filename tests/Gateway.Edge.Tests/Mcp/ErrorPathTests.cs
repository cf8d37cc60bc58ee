using System.Net;
using System.Text;
using McpPlatform.TestSupport;
using Xunit;

namespace McpPlatform.Gateway.Edge.Tests.Mcp;

/// <summary>
/// Every refusal of the Streamable HTTP endpoint: the HTTP status, the JSON-RPC error code and reason, and that the
/// dispatcher saw no call for it (its call counter does not move).
/// </summary>
[Collection(McpPlatformCollection.Name)]
public sealed class ErrorPathTests(McpPlatformFixture platform)
{
    private const string Ping = """{"jsonrpc":"2.0","id":7,"method":"ping"}""";
    private const string EchoCall = """{"jsonrpc":"2.0","id":8,"method":"tools/call","params":{"name":"echo","arguments":{"text":"x"}}}""";

    public static TheoryData<string, string, string, string, string?, int, int, string> Refusals => new()
    {
        // case, body, accept, content type, origin, status, code, reason
        { "no accept", Ping, "", "application/json", null, 406, -32600, "not_acceptable" },
        { "json only", Ping, "application/json", "application/json", null, 406, -32600, "not_acceptable" },
        { "sse only", Ping, "text/event-stream", "application/json", null, 406, -32600, "not_acceptable" },
        { "text/plain body", Ping, "application/json, text/event-stream", "text/plain", null, 415, -32600, "unsupported_media_type" },
        { "foreign origin", Ping, "application/json, text/event-stream", "application/json", "http://evil.example.com", 403, -32600, "origin_not_allowed" },
        { "bad json", """{"jsonrpc":"2.0","id":1,"method":""", "application/json, text/event-stream", "application/json", null, 400, -32700, "parse_error" },
        { "not json-rpc", """{"hello":"world"}""", "application/json, text/event-stream", "application/json", null, 400, -32600, "invalid_request" },
        { "no jsonrpc member", """{"id":1,"method":"ping"}""", "application/json, text/event-stream", "application/json", null, 400, -32600, "invalid_request" },
    };

    [Theory(Timeout = 60_000)]
    [MemberData(nameof(Refusals))]
    public async Task MalformedPost_IsRefusedWithStatusAndJsonRpcError_NeverRelayed(string @case, string body, string accept, string contentType, string? origin, int status, int code, string reason)
    {
        using var http = platform.Client();
        var before = await DispatcherCallsAsync();
        using var request = RawMcp.Post(platform.Endpoint("echo"), body, accept: accept, contentType: contentType);
        if (accept.Length == 0)
        {
            request.Headers.Remove("Accept");
        }

        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        using var response = await http.SendAsync(request);

        Assert.True(status == (int)response.StatusCode, $"{@case}: {(int)response.StatusCode}");
        var error = await RawMcp.ErrorOfAsync(response);
        Assert.Equal(code, error.Code);
        Assert.Equal(reason, error.Reason);
        Assert.Equal(before, await DispatcherCallsAsync());
    }

    [Fact(Timeout = 60_000)]
    public async Task InvalidUtf8_Is400ParseError()
    {
        using var http = platform.Client();
        using var request = RawMcp.Post(platform.Endpoint("echo"), "");
        var bytes = Encoding.UTF8.GetBytes("""{"jsonrpc":"2.0","id":1,"method":"ping","params":{"x":"AB"}}""");
        bytes[^5] = 0xC3; // a lead byte followed by an ASCII byte: not UTF-8
        request.Content = new ByteArrayContent(bytes);
        request.Content.Headers.ContentType = new("application/json");

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(-32700, (await RawMcp.ErrorOfAsync(response)).Code);
    }

    [Fact(Timeout = 60_000)]
    public async Task TenMiBBody_Is413NotA500()
    {
        using var http = platform.Client();
        var before = await DispatcherCallsAsync();
        var body = """{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"echo","arguments":{"text":""" + "\"" + new string('a', 10 * 1024 * 1024) + "\"}}}";

        using var response = await http.SendAsync(RawMcp.Post(platform.Endpoint("echo"), body));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("message_too_large", (await RawMcp.ErrorOfAsync(response)).Reason);
        Assert.Equal(before, await DispatcherCallsAsync());
    }

    [Fact(Timeout = 60_000)]
    public async Task MissingSession_Is400_UnknownSession_Is404()
    {
        using var http = platform.Client();
        var before = await DispatcherCallsAsync();

        using var missing = await http.SendAsync(RawMcp.Post(platform.Endpoint("echo"), EchoCall));
        using var unknown = await http.SendAsync(RawMcp.Post(platform.Endpoint("echo"), EchoCall, sessionId: "no-such-session-0123456789"));

        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Equal("missing_session", (await RawMcp.ErrorOfAsync(missing)).Reason);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        var error = await RawMcp.ErrorOfAsync(unknown);
        Assert.Equal("unknown_session", error.Reason);
        Assert.Equal(8, error.Id.GetInt32());
        Assert.Equal(before, await DispatcherCallsAsync());
    }

    [Fact(Timeout = 60_000)]
    public async Task AnotherPrincipalsSession_Is404()
    {
        using var anonymous = platform.Client(authenticated: false);
        using var keyed = platform.Client();
        var sessionId = await RawMcp.OpenSessionAsync(anonymous, platform.Endpoint("conformance"));
        var before = await DispatcherCallsAsync();

        using var response = await keyed.SendAsync(RawMcp.Post(platform.Endpoint("conformance"), Ping, sessionId, protocolVersion: "2025-06-18"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("unknown_session", (await RawMcp.ErrorOfAsync(response)).Reason);
        Assert.Equal(before, await DispatcherCallsAsync());
    }

    [Fact(Timeout = 60_000)]
    public async Task UnsupportedProtocolVersion_Is400()
    {
        using var http = platform.Client();
        var sessionId = await RawMcp.OpenSessionAsync(http, platform.Endpoint("echo"));

        using var response = await http.SendAsync(RawMcp.Post(platform.Endpoint("echo"), Ping, sessionId, protocolVersion: "1999-01-01"));

        // The 2026-07-28 path answers unknown revisions with its UnsupportedProtocolVersion error.
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(-32022, (await RawMcp.ErrorOfAsync(response)).Code);
    }

    [Fact(Timeout = 60_000)]
    public async Task MissingCredentials_Is401WithChallenge_NeverRelayed()
    {
        using var http = platform.Client(authenticated: false);
        var before = await DispatcherCallsAsync();

        using var response = await http.SendAsync(RawMcp.Post(platform.Endpoint("echo"), RawMcp.Initialize));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.StartsWith("Bearer ", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Contains("resource_metadata=", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Equal(-32008, (await RawMcp.ErrorOfAsync(response)).Code);
        Assert.Equal(before, await DispatcherCallsAsync());
    }

    [Fact(Timeout = 60_000)]
    public async Task UnknownServer_Is404()
    {
        using var http = platform.Client();

        using var response = await http.SendAsync(RawMcp.Post(platform.Endpoint("no-such-server"), RawMcp.Initialize));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("unknown_server", (await RawMcp.ErrorOfAsync(response)).Reason);
    }

    [Fact(Timeout = 60_000)]
    public async Task BatchIn2025_06_18Session_Is400_In2025_03_26Session_IsAnswered()
    {
        using var http = platform.Client();
        var modern = await RawMcp.OpenSessionAsync(http, platform.Endpoint("echo"), "2025-06-18");
        var legacy = await RawMcp.OpenSessionAsync(http, platform.Endpoint("echo"), "2025-03-26");
        var batch = "[" + Ping + "," + EchoCall + "]";

        using var refused = await http.SendAsync(RawMcp.Post(platform.Endpoint("echo"), batch, modern, protocolVersion: "2025-06-18"));
        using var answered = await http.SendAsync(RawMcp.Post(platform.Endpoint("echo"), batch, legacy));

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("batch_not_allowed", (await RawMcp.ErrorOfAsync(refused)).Reason);
        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        using var responses = System.Text.Json.JsonDocument.Parse(await answered.Content.ReadAsStringAsync());
        Assert.Equal([7, 8], responses.RootElement.EnumerateArray().Select(r => r.GetProperty("id").GetInt32()));
    }

    [Fact(Timeout = 60_000)]
    public async Task DuplicateRequestIdInFlight_Is400_FirstCallCompletes()
    {
        using var http = platform.Client();
        var sessionId = await RawMcp.OpenSessionAsync(http, platform.Endpoint("echo"));
        const string slow = """{"jsonrpc":"2.0","id":"dup","method":"tools/call","params":{"name":"progress","arguments":{"steps":3,"delayMs":700},"_meta":{"progressToken":1}}}""";

        // The first progress event means the call is in flight (its SSE headers are out).
        using var first = await http.SendAsync(RawMcp.Post(platform.Endpoint("echo"), slow, sessionId, protocolVersion: "2025-06-18"), HttpCompletionOption.ResponseHeadersRead);
        using var second = await http.SendAsync(RawMcp.Post(platform.Endpoint("echo"), slow, sessionId, protocolVersion: "2025-06-18"));
        var firstBody = await first.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, second.StatusCode);
        Assert.Equal("duplicate_request_id", (await RawMcp.ErrorOfAsync(second)).Reason);
        Assert.Contains("done 3 steps", RawMcp.SseEvents(firstBody)[^1].Data, StringComparison.Ordinal);
    }

    /// <summary>Calls the dispatcher has relayed, from its /metrics (every relayed call is one histogram sample).</summary>
    private async Task<double> DispatcherCallsAsync()
    {
        using var http = new HttpClient();
        var text = await http.GetStringAsync(new Uri(platform.Service.App.GetEndpoint("dispatcher"), "/metrics"));
        return PrometheusText.Parse(text).Where(s => s.Name == "mcpplatform_dispatcher_call_duration_seconds_count").Sum(s => s.Value);
    }
}
