using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Xunit;

namespace McpPlatform.Gateway.Edge.Tests.Mcp;

/// <summary>
/// A POST's SSE answer dropped by the client and resumed with GET + Last-Event-ID (on the other replica): the rest of
/// that stream and its response, once, under the ids the original stream gave; and the refusals of bad ids.
/// </summary>
[Collection(McpPlatformCollection.Name)]
public sealed class PostStreamResumptionTests(McpPlatformFixture platform)
{
    private const string Version = "2025-11-25";
    private const int Steps = 4;

    // 700 ms between progress steps: the resume starts while the tool still runs, so it has to wait for later events.
    private const string SlowProgress = """{"jsonrpc":"2.0","id":NN,"method":"tools/call","params":{"name":"progress","arguments":{"steps":4,"delayMs":700},"_meta":{"progressToken":"tok-NN"}}}""";

    [Theory(Timeout = 120_000)]
    [InlineData("echo")]
    [InlineData("echo-session")]
    public async Task DroppedPostStream_ResumedOnTheOtherReplica_GetsTheRestAndTheResponseOnce(string server)
    {
        using var http = platform.Client();
        var sessionId = await RawMcp.OpenSessionAsync(http, platform.Endpoint(server, 0), Version);
        var (priming, first) = await PostThenDropAsync(http, platform.Endpoint(server, 0), sessionId, 41);

        var resumed = await ResumeAsync(http, platform.Endpoint(server, 1), sessionId, first.Id);
        var again = await ResumeAsync(http, platform.Endpoint(server, 0), sessionId, first.Id);
        var fromPriming = await ResumeAsync(http, platform.Endpoint(server, 1), sessionId, priming);
        var afterResponse = await ResumeAsync(http, platform.Endpoint(server, 1), sessionId, resumed[^1].Id);

        var stream = first.Id[..first.Id.IndexOf('/', StringComparison.Ordinal)];
        Assert.Equal(1, Progress(first.Data));
        Assert.Equal([2, 3, 4], resumed.SkipLast(1).Select(e => Progress(e.Data)));
        Assert.Equal(41, ResponseId(resumed[^1].Data));
        Assert.Contains($"done {Steps} steps", resumed[^1].Data, StringComparison.Ordinal);
        Assert.All(resumed, e => Assert.StartsWith(stream + "/", e.Id, StringComparison.Ordinal));
        Assert.Equal(resumed.Count, resumed.Select(e => e.Id).Distinct(StringComparer.Ordinal).Count());
        Assert.DoesNotContain(first.Id, resumed.Select(e => e.Id));
        Assert.Equal(resumed, again);
        Assert.Equal([first, .. resumed], fromPriming);
        Assert.StartsWith(stream + "/", priming, StringComparison.Ordinal);
        Assert.Empty(afterResponse);
    }

    [Theory(Timeout = 60_000)]
    [InlineData("garbage")]
    [InlineData("get/not-an-entry")]
    [InlineData("pAAAA/1")]
    public async Task MalformedLastEventId_Is400(string lastEventId)
    {
        using var http = platform.Client();
        var sessionId = await RawMcp.OpenSessionAsync(http, platform.Endpoint("echo"), Version);

        using var response = await http.SendAsync(Get(platform.Endpoint("echo", 1), sessionId, lastEventId));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("bad_last_event_id", (await RawMcp.ErrorOfAsync(response)).Reason);
    }

    [Fact(Timeout = 120_000)]
    public async Task UnknownStream_AndAnotherSessionsStream_Are404_AndTheSessionStaysOpen()
    {
        using var http = platform.Client();
        var owner = await RawMcp.OpenSessionAsync(http, platform.Endpoint("echo"), Version);
        var other = await RawMcp.OpenSessionAsync(http, platform.Endpoint("echo"), Version);
        var (_, ownersEvent) = await PostThenDropAsync(http, platform.Endpoint("echo"), owner, 42);
        var ownersResume = await ResumeAsync(http, platform.Endpoint("echo", 1), owner, ownersEvent.Id);

        using var foreign = await http.SendAsync(Get(platform.Endpoint("echo", 1), other, ownersEvent.Id));
        var foreignBody = await foreign.Content.ReadAsStringAsync();
        using var unknown = await http.SendAsync(Get(platform.Endpoint("echo", 1), other, "pUnknownStream1/1700000000000-1"));
        var unknownError = await RawMcp.ErrorOfAsync(unknown);
        using var ping = await http.SendAsync(RawMcp.Post(platform.Endpoint("echo", 1), """{"jsonrpc":"2.0","id":5,"method":"ping"}""", other, protocolVersion: Version));

        Assert.Equal(42, ResponseId(ownersResume[^1].Data));
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        Assert.Contains("unknown_stream", foreignBody, StringComparison.Ordinal);
        Assert.DoesNotContain("progress", foreignBody, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("unknown_stream", unknownError.Reason);
        Assert.Equal(HttpStatusCode.OK, ping.StatusCode);
    }

    /// <summary>Posts the slow progress call, reads the priming event and the first progress event, then drops the connection.</summary>
    private static async Task<(string PrimingId, (string Id, string Data) First)> PostThenDropAsync(HttpClient http, Uri endpoint, string sessionId, int callId)
    {
        var body = SlowProgress.Replace("NN", callId.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var response = await http.SendAsync(RawMcp.Post(endpoint, body, sessionId, protocolVersion: Version), HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(timeout.Token), Encoding.UTF8);
        string? priming = null;
        while (true)
        {
            var (id, data) = await NextEventAsync(reader, timeout.Token);
            if (data.Length == 0)
            {
                priming = id;
                continue;
            }

            // Leaving the using blocks aborts the connection with the rest of the stream unread.
            return (priming ?? throw new InvalidOperationException("no priming event"), (id!, data));
        }
    }

    /// <summary>GET + Last-Event-ID, read until the gateway ends the stream; the events with data.</summary>
    private static async Task<List<(string Id, string Data)>> ResumeAsync(HttpClient http, Uri endpoint, string sessionId, string lastEventId)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var response = await http.SendAsync(Get(endpoint, sessionId, lastEventId), HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync(timeout.Token);
        return [.. RawMcp.SseEvents(body).Select(e => (e.Id!, e.Data))];
    }

    private static async Task<(string? Id, string Data)> NextEventAsync(StreamReader reader, CancellationToken cancellationToken)
    {
        string? id = null;
        var data = new StringBuilder();
        var seen = false;
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length == 0 && seen)
            {
                return (id, data.ToString());
            }

            seen |= line.StartsWith("id: ", StringComparison.Ordinal) || line.StartsWith("data: ", StringComparison.Ordinal);
            if (line.StartsWith("id: ", StringComparison.Ordinal))
            {
                id = line[4..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                data.Append(line[6..]);
            }
        }

        throw new InvalidOperationException("The stream ended before the next event.");
    }

    private static HttpRequestMessage Get(Uri endpoint, string sessionId, string lastEventId)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, endpoint);
        request.Headers.TryAddWithoutValidation("Accept", "text/event-stream");
        request.Headers.Add("Mcp-Session-Id", sessionId);
        request.Headers.Add("MCP-Protocol-Version", Version);
        request.Headers.TryAddWithoutValidation("Last-Event-ID", lastEventId);
        return request;
    }

    private static int Progress(string data)
    {
        using var document = JsonDocument.Parse(data);
        Assert.Equal("notifications/progress", document.RootElement.GetProperty("method").GetString());
        return (int)document.RootElement.GetProperty("params").GetProperty("progress").GetDouble();
    }

    private static int ResponseId(string data)
    {
        using var document = JsonDocument.Parse(data);
        Assert.True(document.RootElement.TryGetProperty("result", out _), data);
        return document.RootElement.GetProperty("id").GetInt32();
    }
}
