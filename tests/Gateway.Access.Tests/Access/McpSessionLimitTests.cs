using System.Net;
using McpPlatform.Gateway.Access.Tests.Infrastructure;

namespace McpPlatform.Gateway.Access.Tests.Access;

/// <summary>The plan's maximum open sessions on both transports, through the real gateway (<see cref="EdgeTopology"/>).</summary>
[Collection(EdgeTopologyCollection.Name)]
public sealed class McpSessionLimitTests(EdgeTopology platform)
{
    [Fact(Timeout = 180_000)]
    public async Task StreamableHttp_OverMaxOpenSessions_Gets429_UntilOneIsDeleted()
    {
        var key = await platform.Data.NewKeyAsync(overrides: new { maxOpenSessions = 1 });
        using var first = new McpWire(platform.Echo, key.Secret);
        await first.OpenAsync();

        using (var second = new McpWire(platform.Echo, key.Secret))
        using (var refused = await second.InitializeAsync())
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
            Assert.Equal("session_limit", await Answers.ReasonAsync(refused));
            Assert.NotNull(refused.Headers.RetryAfter);
            Assert.False(refused.Headers.Contains("Mcp-Session-Id"));
        }

        using (var deleted = await first.DeleteAsync())
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        using var third = new McpWire(platform.Echo, key.Secret);
        using var accepted = await third.InitializeAsync();
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
    }

    [Fact(Timeout = 180_000)]
    public async Task LegacySse_OverMaxOpenSessions_Gets429_UntilTheStreamCloses()
    {
        var key = await platform.Data.NewKeyAsync(overrides: new { maxOpenSessions = 1 });
        using var http = new HttpClient();

        var first = await OpenStreamAsync(http, key.Secret);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);

        // A Streamable HTTP initialize counts the legacy session too, and the other way round.
        using (var second = await OpenStreamAsync(http, key.Secret))
        using (var streamable = new McpWire(platform.Echo, key.Secret))
        using (var initialize = await streamable.InitializeAsync())
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
            Assert.Equal("session_limit", await Answers.ReasonAsync(second));
            Assert.NotNull(second.Headers.RetryAfter);
            Assert.Equal(HttpStatusCode.TooManyRequests, initialize.StatusCode);
        }

        // Closing the stream ends the session; the next stream is accepted once the gateway has noticed.
        first.Dispose();
        await Eventually.UntilAsync(async () =>
        {
            using var next = await OpenStreamAsync(http, key.Secret);
            return next.StatusCode == HttpStatusCode.OK;
        }, "a new legacy stream after the first closed", TimeSpan.FromSeconds(20), TimeSpan.FromMilliseconds(200));
    }

    /// <summary>GET /sse/echo; an accepted stream stays open until the answer is disposed.</summary>
    private async Task<HttpResponseMessage> OpenStreamAsync(HttpClient http, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, platform.LegacyEcho);
        request.Headers.Accept.ParseAdd("text/event-stream");
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + key);
        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            await response.Content.LoadIntoBufferAsync();
        }

        return response;
    }
}
