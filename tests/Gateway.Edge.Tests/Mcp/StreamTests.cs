using System.Net;
using System.Text;
using Xunit;

namespace McpPlatform.Gateway.Edge.Tests.Mcp;

/// <summary>The GET stream (from the session's event log, on any replica, with Last-Event-ID), DELETE and GET /mcp.</summary>
[Collection(McpPlatformCollection.Name)]
public sealed class StreamTests(McpPlatformFixture platform)
{
    private const string TouchTools = """{"jsonrpc":"2.0","id":NN,"method":"tools/call","params":{"name":"touch_tools","arguments":{}}}""";

    [Fact(Timeout = 90_000)]
    public async Task GetStream_OnTheOtherReplica_CarriesListChanged_LastEventIdReplaysOnlyLaterEvents()
    {
        using var http = platform.Client();
        var endpoint = platform.Endpoint("echo-session", 0);
        var sessionId = await RawMcp.OpenSessionAsync(http, endpoint, "2025-11-25");
        foreach (var id in new[] { 11, 12 })
        {
            using var call = await http.SendAsync(RawMcp.Post(endpoint, TouchTools.Replace("NN", id.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal), sessionId, protocolVersion: "2025-11-25"));
            Assert.Equal(HttpStatusCode.OK, call.StatusCode);
        }

        var all = await ReadEventsAsync(http, platform.Endpoint("echo-session", 1), sessionId, lastEventId: null, count: 2);
        var later = await ReadEventsAsync(http, platform.Endpoint("echo-session", 1), sessionId, lastEventId: all[0].Id, count: 1);

        Assert.All(all, e => Assert.Contains("notifications/tools/list_changed", e.Data, StringComparison.Ordinal));
        Assert.All(all, e => Assert.StartsWith("get/", e.Id, StringComparison.Ordinal));
        Assert.NotEqual(all[0].Id, all[1].Id);
        Assert.Equal(all[1].Id, Assert.Single(later).Id);
    }

    [Fact(Timeout = 60_000)]
    public async Task GetStream_WithoutSseAccept_Is406_WithoutSession_Is400()
    {
        using var http = platform.Client();
        using var noAccept = new HttpRequestMessage(HttpMethod.Get, platform.Endpoint("echo"));
        noAccept.Headers.TryAddWithoutValidation("Accept", "application/json");
        using var noSession = new HttpRequestMessage(HttpMethod.Get, platform.Endpoint("echo"));
        noSession.Headers.TryAddWithoutValidation("Accept", "text/event-stream");

        using var refused = await http.SendAsync(noAccept);
        using var missing = await http.SendAsync(noSession);

        Assert.Equal(HttpStatusCode.NotAcceptable, refused.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
    }

    [Theory(Timeout = 60_000)]
    [InlineData("echo")]
    [InlineData("echo-session")]
    public async Task Delete_Is204_ThenTheSessionIs404_SecondDeleteIs404(string server)
    {
        using var http = platform.Client();
        var endpoint = platform.Endpoint(server);
        var sessionId = await RawMcp.OpenSessionAsync(http, endpoint);

        using var deleted = await http.SendAsync(Delete(endpoint, sessionId));
        // The other replica may trust its cached record for up to a second: poll instead of sleeping.
        await Support.Eventually.UntilAsync(async () =>
        {
            using var after = await http.SendAsync(RawMcp.Post(platform.Endpoint(server, 1), """{"jsonrpc":"2.0","id":3,"method":"ping"}""", sessionId, protocolVersion: "2025-06-18"));
            return after.StatusCode == HttpStatusCode.NotFound;
        }, "the deleted session to be 404 on the other replica");
        using var again = await http.SendAsync(Delete(endpoint, sessionId));

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
    }

    [Fact(Timeout = 60_000)]
    public async Task ServerList_KeyedCallerSeesAll_AnonymousSeesOnlyAnonymousServers()
    {
        using var keyed = platform.Client();
        using var anonymous = platform.Client(authenticated: false);

        var all = await keyed.GetStringAsync(new Uri(platform.Gateway, "/mcp"));
        var open = await anonymous.GetStringAsync(new Uri(platform.Gateway, "/mcp"));

        Assert.Contains("\"name\":\"echo\"", all, StringComparison.Ordinal);
        Assert.Contains("\"isolation\":\"session\"", all, StringComparison.Ordinal);
        Assert.Contains("\"name\":\"conformance\"", open, StringComparison.Ordinal);
        Assert.DoesNotContain("\"name\":\"echo\"", open, StringComparison.Ordinal);
    }

    private static HttpRequestMessage Delete(Uri endpoint, string sessionId)
    {
        var request = new HttpRequestMessage(HttpMethod.Delete, endpoint);
        request.Headers.Add("Mcp-Session-Id", sessionId);
        return request;
    }

    /// <summary>Opens the GET stream and reads until <paramref name="count"/> events with data arrived (the stream itself never ends).</summary>
    private static async Task<IReadOnlyList<(string Id, string Data)>> ReadEventsAsync(HttpClient http, Uri endpoint, string sessionId, string? lastEventId, int count)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, endpoint);
        request.Headers.TryAddWithoutValidation("Accept", "text/event-stream");
        request.Headers.Add("Mcp-Session-Id", sessionId);
        request.Headers.Add("MCP-Protocol-Version", "2025-11-25");
        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(timeout.Token), Encoding.UTF8);
        var events = new List<(string, string)>();
        string? id = null;
        var data = new StringBuilder();
        while (events.Count < count && await reader.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.StartsWith("id: ", StringComparison.Ordinal))
            {
                id = line[4..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                data.Append(line[6..]);
            }
            else if (line.Length == 0)
            {
                if (data.Length > 0)
                {
                    events.Add((id!, data.ToString()));
                }

                (id, data) = (null, new StringBuilder());
            }
        }

        return events;
    }
}
