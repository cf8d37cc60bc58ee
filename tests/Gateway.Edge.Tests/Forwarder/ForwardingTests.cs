using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using McpPlatform.Gateway.Edge.Tests.Support;
using Xunit.Abstractions;

namespace McpPlatform.Gateway.Edge.Tests.Forwarder;

[Collection(EdgeCollection.Name)]
public sealed class ForwardingTests(EdgeFixture edge, ITestOutputHelper output) : IDisposable
{
    public void Dispose() => output.WriteLine(edge.Log());

    [Theory]
    [InlineData("/authorize?client_id=c", "identity")]
    [InlineData("/token", "identity")]
    [InlineData("/register", "identity")]
    [InlineData("/.well-known/oauth-authorization-server", "identity")]
    [InlineData("/.well-known/openid-configuration", "identity")]
    [InlineData("/.well-known/jwks.json", "identity")]
    [InlineData("/account", "identity")]
    [InlineData("/account/login?returnUrl=%2Fadmin", "identity")]
    [InlineData("/admin/users/42", "identity")]
    [InlineData("/keys", "access-")]
    [InlineData("/keys/k_1/rotate", "access-")]
    [InlineData("/me", "access-")]
    [InlineData("/usage/2026-11", "access-")]
    public async Task DefaultRoute_ReachesItsService_WithPathAndQueryUnchanged(string target, string service)
    {
        using var response = await edge.Client.GetAsync(target);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var echo = await Echo.ReadAsync(response);
        Assert.StartsWith(service, echo.Upstream, StringComparison.Ordinal);
        Assert.Equal(target, echo.Path + echo.Query);
    }

    [Fact]
    public async Task HopByHopRequestHeaders_AreDropped_AndForwardedHeadersSet()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/account/echo");
        request.Headers.TryAddWithoutValidation("Connection", "X-Hop");
        request.Headers.TryAddWithoutValidation("X-Hop", "1");
        request.Headers.TryAddWithoutValidation("Keep-Alive", "timeout=5");
        request.Headers.TryAddWithoutValidation("Proxy-Authorization", "Basic c2VjcmV0");
        request.Headers.TryAddWithoutValidation("X-Forwarded-For", "6.6.6.6");
        request.Headers.TryAddWithoutValidation("X-Forwarded-Host", "evil.example");
        request.Headers.TryAddWithoutValidation("X-Kept", "yes");

        using var response = await edge.Client.SendAsync(request);
        var echo = await Echo.ReadAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("X-Hop", echo.Headers.Keys, StringComparer.OrdinalIgnoreCase);
        Assert.DoesNotContain("Keep-Alive", echo.Headers.Keys, StringComparer.OrdinalIgnoreCase);
        Assert.DoesNotContain("Proxy-Authorization", echo.Headers.Keys, StringComparer.OrdinalIgnoreCase);
        Assert.Equal("yes", echo.Headers["X-Kept"]);
        Assert.Equal("127.0.0.1", echo.Headers["X-Forwarded-For"]);
        Assert.Equal("http", echo.Headers["X-Forwarded-Proto"]);
        Assert.Equal(edge.Gateway.Authority, echo.Headers["X-Forwarded-Host"]);
        Assert.Equal(edge.Identity.Url.Authority, echo.Headers["Host"]);
        Assert.True(echo.Headers.ContainsKey("traceparent"));
    }

    [Fact]
    public async Task HopByHopResponseHeaders_AreDropped_OthersKept()
    {
        using var response = await edge.Client.GetAsync("/account/hop");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("X-Resp-Hop"));
        Assert.False(response.Headers.Contains("Keep-Alive"));
        Assert.False(response.Headers.Contains("Proxy-Thing"));
        Assert.DoesNotContain("X-Resp-Hop", response.Headers.Connection);
        Assert.Equal("yes", response.Headers.GetValues("X-Kept").Single());
        Assert.Equal("hop", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ServerSentEvents_ReachTheClientOneByOne_WithoutBuffering()
    {
        edge.ResetSse();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/account/sse");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));

        using var response = await edge.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        await using var stream = await response.Content.ReadAsStreamAsync();
        using var reader = new StreamReader(stream, Encoding.UTF8);

        // The upstream holds event 2 back until the client has event 1: a buffering edge would deadlock here.
        var first = await ReadEventAsync(reader).WaitAsync(TimeSpan.FromSeconds(15));
        Assert.Equal(["id: 1", "data: first"], first);
        Assert.True(edge.FirstEventSent.Task.IsCompleted);
        edge.SecondEvent.SetResult();
        var second = await ReadEventAsync(reader).WaitAsync(TimeSpan.FromSeconds(15));
        Assert.Equal(["id: 2", "data: second"], second);
        Assert.Null(await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(15)));
    }

    [Fact]
    public async Task ClientLeavesMidStream_UpstreamRequestEnds_WithoutWarnings()
    {
        edge.ResetSse();
        // A client of its own, so leaving closes the connection (a shared one would try to drain it for reuse).
        using (var client = new HttpClient(new SocketsHttpHandler { MaxResponseDrainSize = 0 }) { BaseAddress = edge.Gateway })
        using (var response = await client.GetAsync("/account/sse-endless", HttpCompletionOption.ResponseHeadersRead))
        {
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(), Encoding.UTF8);
            Assert.Equal(["id: 1", "data: first"], await ReadEventAsync(reader).WaitAsync(TimeSpan.FromSeconds(15)));
        }

        await Eventually.UntilMetricAsync(edge.Client, "mcpplatform_edge_forwarded_requests_total", ["route=\"account\"", "error_type=\"ResponseBodyClient\""]);
        edge.SecondEvent.SetResult();
        await edge.SseAbandoned.Task.WaitAsync(TimeSpan.FromSeconds(15));
        Assert.DoesNotContain(edge.Service.JsonLogLines("gateway-edge"), line =>
            line.GetProperty("LogLevel").GetString() is "Warning" or "Error" or "Critical"
            && line.GetProperty("Message").GetString()!.Contains("ResponseBodyClient", StringComparison.Ordinal));
    }

    [Fact]
    public async Task LargeRequestBody_StreamsToTheUpstreamIntact()
    {
        var body = new byte[20 * 1024 * 1024];
        new Random(7).NextBytes(body);

        using var response = await edge.Client.PostAsync("/account/upload", new ByteArrayContent(body));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal($"{body.Length} {Convert.ToHexString(SHA256.HashData(body))}", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ChunkedRequestBody_StreamsToTheUpstreamIntact()
    {
        var body = new byte[3 * 1024 * 1024 + 17];
        new Random(8).NextBytes(body);
        using var content = new StreamContent(new MemoryStream(body)); // no length: chunked
        content.Headers.ContentLength = null;
        using var request = new HttpRequestMessage(HttpMethod.Post, "/account/upload") { Content = content };
        request.Headers.TransferEncodingChunked = true;

        using var response = await edge.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal($"{body.Length} {Convert.ToHexString(SHA256.HashData(body))}", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task LargeResponseBody_StreamsToTheClientIntact()
    {
        const long size = 40L * 1024 * 1024 + 5;

        using var response = await edge.Client.GetAsync($"/account/download?bytes={size}", HttpCompletionOption.ResponseHeadersRead);
        await using var stream = await response.Content.ReadAsStreamAsync();
        var pattern = EdgeFixture.Pattern(64 * 1024);
        var buffer = new byte[64 * 1024];
        long position = 0;
        int read;
        while ((read = await stream.ReadAsync(buffer)) > 0)
        {
            for (var i = 0; i < read; i++, position++)
            {
                if (buffer[i] != pattern[position % pattern.Length])
                {
                    Assert.Fail($"Byte {position} differs.");
                }
            }
        }

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(size, position);
    }

    [Fact]
    public async Task RequestBodyOverTheLimit_Returns413_WithoutReachingTheUpstream()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/account/upload")
        {
            Content = new ByteArrayContent(new byte[25 * 1024 * 1024]),
        };
        request.Headers.ExpectContinue = true; // the client waits for the edge's verdict before sending the body

        using var response = await edge.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var problem = await ProblemAsync(response);
        Assert.Equal(413, problem.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task UpstreamResetsTheConnection_Returns502Problem()
    {
        using var response = await edge.Client.GetAsync("/account/reset");

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        var problem = await ProblemAsync(response);
        Assert.Equal("identity", problem.GetProperty("service").GetString());
        Assert.Equal("Request", problem.GetProperty("error").GetString());
    }

    [Fact]
    public async Task UpstreamSilentPastTheActivityTimeout_Returns504Problem()
    {
        using var response = await edge.Client.GetAsync("/slow/silent");

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        var problem = await ProblemAsync(response);
        Assert.Equal("identity", problem.GetProperty("service").GetString());
        Assert.Equal("RequestTimedOut", problem.GetProperty("error").GetString());
        Assert.Contains("1 s", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    internal static async Task<JsonElement> ProblemAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
    }

    private static async Task<string[]> ReadEventAsync(StreamReader reader)
    {
        var lines = new List<string>();
        while (await reader.ReadLineAsync() is { } line)
        {
            if (line.Length == 0)
            {
                return [.. lines];
            }
            lines.Add(line);
        }
        return [.. lines];
    }
}
