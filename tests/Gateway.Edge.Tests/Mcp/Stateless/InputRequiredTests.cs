using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Xunit;

namespace McpPlatform.Gateway.Edge.Tests.Mcp.Stateless;

/// <summary>
/// Multi-round-trip requests on the wire (2026-07-28): <c>server-everything</c> (session isolation) asks for sampling
/// during a tool call; the gateway answers <c>input_required</c>, the retry's <c>inputResponses</c> reach the waiting
/// process (also when the retry lands on the other replica: it is sent on to the one holding the call), and a
/// <c>requestState</c> that was used, altered or made up is refused.
/// </summary>
[Collection(McpPlatformCollection.Name)]
public sealed class InputRequiredTests(McpPlatformFixture platform)
{
    private const string Meta = "\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":\"2026-07-28\",\"io.modelcontextprotocol/clientInfo\":{\"name\":\"raw\",\"version\":\"1\"},\"io.modelcontextprotocol/clientCapabilities\":{\"sampling\":{}}}";
    private const string Arguments = "\"name\":\"trigger-sampling-request\",\"arguments\":{\"prompt\":\"raw\",\"maxTokens\":5},";

    [Fact(Timeout = 120_000)]
    public async Task ServerAsksForSampling_InputRequiredThenTheRetryCompletesTheSameCall()
    {
        var (first, asked) = await CallAsync("1", string.Empty);
        var result = asked!["result"]!;
        var (key, question) = Assert.Single(result["inputRequests"]!.AsObject());
        var state = (string)result["requestState"]!;
        var answer = "\"inputResponses\":{\"" + key + "\":{\"role\":\"assistant\",\"content\":{\"type\":\"text\",\"text\":\"from the raw test\"},\"model\":\"m\"}},\"requestState\":\"" + state + "\",";

        var (second, done) = await CallAsync("2", answer);
        var (replay, refused) = await CallAsync("3", answer);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("input_required", (string?)result["resultType"]);
        Assert.Equal("sampling/createMessage", (string?)question!["method"]);
        Assert.Equal("Resource trigger-sampling-request context: raw", (string?)question["params"]!["messages"]![0]!["content"]!["text"]);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(2, (int)done!["id"]!);
        Assert.Equal("complete", (string?)done["result"]!["resultType"]);
        Assert.Contains("from the raw test", (string?)done["result"]!["content"]![0]!["text"], StringComparison.Ordinal);
        // Single use: the parked call was taken by the first retry.
        Assert.Equal(HttpStatusCode.BadRequest, replay.StatusCode);
        Assert.Equal(-32602, (int)refused!["error"]!["code"]!);
    }

    [Fact(Timeout = 120_000)]
    public async Task RetryOnTheOtherReplica_IsSentOnToTheReplicaHoldingTheCallAndCompletesIt()
    {
        var (_, asked) = await CallAsync("1", string.Empty);
        var key = Assert.Single(asked!["result"]!["inputRequests"]!.AsObject()).Key;
        var answer = Answer(key, "second try", (string)asked["result"]!["requestState"]!);

        // The waiting call lives in replica 0's memory; replica 1 finds its owner in Redis and sends the retry on.
        var (elsewhere, done) = await CallAsync("2", answer, replica: 1);
        var (replay, refused) = await CallAsync("3", answer, replica: 1);
        var (home, refusedHome) = await CallAsync("4", answer);

        Assert.Equal(HttpStatusCode.OK, elsewhere.StatusCode);
        Assert.Equal(2, (int)done!["id"]!);
        Assert.Equal("complete", (string?)done["result"]!["resultType"]);
        Assert.Contains("second try", (string?)done["result"]!["content"]![0]!["text"], StringComparison.Ordinal);
        // Taken once, wherever the retry came in: the owner record went with the call.
        Assert.Equal(HttpStatusCode.BadRequest, replay.StatusCode);
        Assert.Equal(-32602, (int)refused!["error"]!["code"]!);
        Assert.Equal(HttpStatusCode.BadRequest, home.StatusCode);
        Assert.Equal(-32602, (int)refusedHome!["error"]!["code"]!);
    }

    [Fact(Timeout = 120_000)]
    public async Task RetryMarkedAsAlreadySentOn_IsNeverSentOnAgain_AndTheCallStillWaitsOnItsOwnReplica()
    {
        var (_, asked) = await CallAsync("1", string.Empty);
        var key = Assert.Single(asked!["result"]!["inputRequests"]!.AsObject()).Key;
        var answer = Answer(key, "third try", (string)asked["result"]!["requestState"]!);

        var (marked, refused) = await CallAsync("2", answer, replica: 1, hop: true);
        var (home, done) = await CallAsync("3", answer);

        Assert.Equal(HttpStatusCode.BadRequest, marked.StatusCode);
        Assert.Equal(-32602, (int)refused!["error"]!["code"]!);
        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
        Assert.Contains("third try", (string?)done!["result"]!["content"]![0]!["text"], StringComparison.Ordinal);
    }

    [Theory(Timeout = 60_000)]
    [InlineData("made-up")]
    [InlineData("eyJjIjoiMDAiLCJwIjoieCIsIm0iOiJ0b29scy9jYWxsIiwiZSI6OTk5OTk5OTk5OTk5OX0.AAAA")]
    public async Task ForgedRequestState_Is400InvalidParams(string state)
    {
        var (response, body) = await CallAsync("1", "\"inputResponses\":{},\"requestState\":\"" + state + "\",");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(-32602, (int)body!["error"]!["code"]!);
    }

    private static string Answer(string key, string text, string state) =>
        "\"inputResponses\":{\"" + key + "\":{\"role\":\"assistant\",\"content\":{\"type\":\"text\",\"text\":\"" + text + "\"},\"model\":\"m\"}},\"requestState\":\"" + state + "\",";

    /// <summary>A tools/call of the sampling tool; the body's last JSON-RPC message (JSON, or the last SSE event).</summary>
    private async Task<(HttpResponseMessage Response, JsonNode? Body)> CallAsync(string id, string retryParams, int replica = 0, bool hop = false)
    {
        using var http = platform.Client();
        var json = "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"tools/call\",\"params\":{" + Arguments + retryParams + Meta + "}}";
        var request = new HttpRequestMessage(HttpMethod.Post, platform.Endpoint("everything", replica)) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/event-stream");
        request.Headers.Add("MCP-Protocol-Version", "2026-07-28");
        request.Headers.Add("Mcp-Method", "tools/call");
        request.Headers.Add("Mcp-Name", "trigger-sampling-request");
        if (hop)
        {
            request.Headers.Add("McpPlatform-Replica-Hop", "1");
        }

        var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var last = response.Content.Headers.ContentType?.MediaType == "text/event-stream" ? RawMcp.SseEvents(text)[^1].Data : text;
        return (response, last.Length == 0 ? null : JsonNode.Parse(last));
    }
}
