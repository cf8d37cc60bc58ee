using System.Text;
using System.Text.Json.Nodes;
using McpPlatform.Gateway.Edge.Tests.Mcp.Legacy;
using Xunit;

namespace McpPlatform.Gateway.Edge.Tests.Mcp.Stateless;

/// <summary><c>subscriptions/listen</c> of the 2026-07-28 revision: the acknowledgement with the honoured filter (list changes reach it only when a dispatcher publishes them: not tested end to end).</summary>
[Collection(McpPlatformCollection.Name)]
public sealed class ListenTests(McpPlatformFixture platform)
{
    private const string Meta = "\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":\"2026-07-28\"}";

    [Fact(Timeout = 60_000)]
    public async Task Listen_AcknowledgesTheHonouredFilterFirst()
    {
        using var http = platform.Client();
        using var listen = Request("subscriptions/listen", null, "{\"jsonrpc\":\"2.0\",\"id\":\"sub\",\"method\":\"subscriptions/listen\",\"params\":{\"notifications\":{\"toolsListChanged\":true,\"resourceSubscriptions\":[\"x://y\"]}," + Meta + "}}");
        using var response = await http.SendAsync(listen, HttpCompletionOption.ResponseHeadersRead);
        using var stream = new SseStream(response, new StreamReader(await response.Content.ReadAsStreamAsync(), Encoding.UTF8));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var ack = JsonNode.Parse((await stream.NextAsync(cts.Token))!.Value.Data)!;


        Assert.Equal("notifications/subscriptions/acknowledged", (string?)ack["method"]);
        Assert.Equal("sub", (string?)ack["params"]!["_meta"]!["io.modelcontextprotocol/subscriptionId"]);
        Assert.Equal("{\"toolsListChanged\":true}", ack["params"]!["notifications"]!.ToJsonString());
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
    }

    private HttpRequestMessage Request(string method, string? name, string json)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, platform.Endpoint("echo")) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/event-stream");
        request.Headers.Add("MCP-Protocol-Version", "2026-07-28");
        request.Headers.Add("Mcp-Method", method);
        if (name is not null)
        {
            request.Headers.Add("Mcp-Name", name);
        }

        return request;
    }
}
