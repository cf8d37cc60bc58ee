using System.Globalization;
using System.Net;
using System.Text.Json;
using McpPlatform.Gateway.Edge.Tests.Support;
using McpPlatform.Hosting;
using McpPlatform.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace McpPlatform.Gateway.Edge.Tests.Mcp;

/// <summary>
/// Both ways the gateway reaches the dispatcher (<c>Gateway:Mcp:Relay:Multiplex</c>): RelayMux streams (the default)
/// and one Relay RPC per request. Each mode gets its own dispatcher, worker and gateway, so the count of Relay
/// requests the dispatcher served shows which path the calls took.
/// </summary>
public sealed class RelayModeTests(ITestOutputHelper output)
{
    private const string ApiKey = "sk_test_gateway_relay_mode_0123456789abcdef";

    [Theory(Timeout = 180_000)]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ConcurrentCalls_EachAnswerGoesToItsRequest_OnTheConfiguredPath(bool multiplex)
    {
        const int calls = 48;
        await using var service = await ServiceUnderTest.StartAsync(output, builder =>
        {
            var dispatcher = builder.AddProject("dispatcher", "Dispatcher.Grpc/Dispatcher.Grpc.csproj").WithHttp2Endpoint("grpc");
            builder.AddProject("worker-host", "Worker.Host/Worker.Host.csproj")
                .WithHttp2Endpoint("grpc")
                .WithReference(dispatcher).WaitFor(dispatcher);
            builder.AddProject("gateway-edge", "Gateway.Edge/Gateway.Edge.csproj")
                .WithReference(dispatcher).WaitFor(dispatcher)
                .WithEnvironment("Gateway__DevelopmentApiKey", ApiKey)
                .WithEnvironment("Gateway__Mcp__Relay__Multiplex", multiplex ? "true" : "false");
        });
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        http.DefaultRequestHeaders.Authorization = new("Bearer", ApiKey);
        var gateway = service.App.GetEndpoint("gateway-edge");
        var endpoint = new Uri(gateway, "/mcp/echo");
        await Eventually.UntilAsync(async () => (await http.GetStringAsync(new Uri(gateway, "/mcp"))).Contains("\"echo\"", StringComparison.Ordinal), "the worker's servers listed by GET /mcp");
        var session = await RawMcp.OpenSessionAsync(http, endpoint);
        var relayedBefore = await RelayRequestsAsync(service);

        var answers = await Task.WhenAll(Enumerable.Range(1, calls).Select(async id =>
        {
            var body = "{\"jsonrpc\":\"2.0\",\"id\":" + id.ToString(CultureInfo.InvariantCulture)
                + ",\"method\":\"tools/call\",\"params\":{\"name\":\"echo\",\"arguments\":{\"text\":\"call " + id.ToString(CultureInfo.InvariantCulture) + "\"}}}";
            using var response = await http.SendAsync(RawMcp.Post(endpoint, body, session, accept: "application/json, text/event-stream"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var text = await response.Content.ReadAsStringAsync();
            var json = response.Content.Headers.ContentType?.MediaType == "text/event-stream" ? RawMcp.SseEvents(text).Last().Data : text;
            return (id, json);
        }));

        foreach (var (id, json) in answers)
        {
            using var document = JsonDocument.Parse(json);
            Assert.Equal(id, document.RootElement.GetProperty("id").GetInt32());
            var content = document.RootElement.GetProperty("result").GetProperty("content")[0].GetProperty("text").GetString();
            Assert.Equal($"call {id}", content);
        }

        // A refusal from the dispatcher's side travels back the same way: an unknown tool is a JSON-RPC error for its id.
        using (var unknown = await http.SendAsync(RawMcp.Post(endpoint, """{"jsonrpc":"2.0","id":"u","method":"tools/call","params":{"name":"no-such-tool","arguments":{}}}""", session)))
        {
            var text = await unknown.Content.ReadAsStringAsync();
            Assert.Contains("\"id\":\"u\"", text, StringComparison.Ordinal);
            Assert.Contains("\"error\"", text, StringComparison.Ordinal);
        }

        var relayed = await RelayRequestsAsync(service) - relayedBefore;
        if (multiplex)
        {
            Assert.Equal(0, relayed);
        }
        else
        {
            Assert.True(relayed >= calls, $"one Relay RPC per request was expected: {relayed} for {calls} calls");
        }
    }

    /// <summary>Relay (not RelayMux) HTTP/2 requests the dispatcher has finished.</summary>
    private static async Task<double> RelayRequestsAsync(ServiceUnderTest service)
    {
        using var http = new HttpClient();
        var text = await http.GetStringAsync(new Uri(service.App.GetEndpoint("dispatcher"), "/metrics"));
        return PrometheusText.Parse(text)
            .Where(s => s.Name == "http_server_request_duration_seconds_count" && s.Labels.Contains("Dispatch/Relay\"", StringComparison.Ordinal))
            .Sum(s => s.Value);
    }
}
