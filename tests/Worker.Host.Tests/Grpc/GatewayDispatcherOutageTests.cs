using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using McpPlatform.Hosting;
using McpPlatform.TestSupport;
using McpPlatform.Worker.Host.Tests.Infrastructure;
using Xunit.Abstractions;

namespace McpPlatform.Worker.Host.Tests.Grpc;

/// <summary>
/// Gateway.Edge on its default relay path (RelayMux streams to the dispatcher) while the dispatcher dies and comes back
/// at the same address: the MCP client gets a clean 503 meanwhile, and the same session's calls work again afterwards on
/// a new stream, with no gateway restart.
/// </summary>
public sealed class GatewayDispatcherOutageTests(ITestOutputHelper output)
{
    private const string ApiKey = "sk_test_gateway_dispatcher_outage_0123456789";

    [Fact(Timeout = 180_000)]
    public async Task DispatcherKilledAndRestarted_CallsFailCleanlyThenWorkAgainOnTheSameSession()
    {
        var port = DispatcherProcess.FreePort();
        (string, string)[] settings = [("Dispatcher__HeartbeatInterval", "00:00:01")];
        var first = await DispatcherProcess.StartAsync(port, settings);
        var firstStopped = false;
        try
        {
            await RunAsync();
        }
        finally
        {
            if (!firstStopped)
            {
                await first.DisposeAsync();
            }
        }

        async Task RunAsync()
        {
            await using var worker = await Services.WorkerAsync(output, "worker-outage", first.Address);
            await using var gateway = await ServiceUnderTest.StartAsync(output, builder => builder
                .AddProject("gateway-edge", "Gateway.Edge/Gateway.Edge.csproj")
                .WithEnvironment("services__dispatcher__grpc__0", first.Address.ToString())
                .WithEnvironment("Gateway__DevelopmentApiKey", ApiKey));
            using var http = new HttpClient { BaseAddress = gateway.App.GetEndpoint("gateway-edge"), Timeout = TimeSpan.FromSeconds(60) };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ApiKey);

            Assert.True(await Eventually.TrueAsync(() => ListsEcho(http), TimeSpan.FromSeconds(60)), "the gateway never listed the worker's echo");
            var session = await InitializeAsync(http);
            var (status, body) = await CallEchoAsync(http, session, 1, "before");
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal("before", EchoText(body));

            firstStopped = true;
            await first.DisposeAsync();
            (status, body) = await CallEchoAsync(http, session, 2, "during");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
            using (var refusal = JsonDocument.Parse(body))
            {
                Assert.Equal(2, refusal.RootElement.GetProperty("id").GetInt32());
                Assert.Equal("dispatcher_unavailable", refusal.RootElement.GetProperty("error").GetProperty("data").GetProperty("reason").GetString());
            }

            await using var second = await DispatcherProcess.StartAsync(port, settings);
            var id = 3;
            var limit = DateTime.UtcNow.AddSeconds(60);
            while (true)
            {
                (status, body) = await CallEchoAsync(http, session, id, $"after {id}");
                if (status == HttpStatusCode.OK)
                {
                    break;
                }

                // Until the worker has registered again: the dispatcher is up but knows no worker for echo yet.
                Assert.True(DateTime.UtcNow < limit, $"calls did not work again within 60 s of the restart: {(int)status} {body}");
                Assert.True(status is HttpStatusCode.ServiceUnavailable or HttpStatusCode.NotFound, $"unexpected answer while the worker registers again: {(int)status} {body}");
                id++;
                await Task.Delay(200);
            }

            Assert.Equal($"after {id}", EchoText(body));
            (status, body) = await CallEchoAsync(http, session, 1000, "steady");
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal("steady", EchoText(body));
        }
    }

    private static bool ListsEcho(HttpClient http)
    {
        try
        {
            return http.GetStringAsync(new Uri("/mcp", UriKind.Relative)).GetAwaiter().GetResult().Contains("\"echo\"", StringComparison.Ordinal);
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    private static async Task<string> InitializeAsync(HttpClient http)
    {
        using var response = await http.SendAsync(Post("""{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"outage","version":"1"}}}""", null));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var session = response.Headers.GetValues("Mcp-Session-Id").Single();
        using var initialized = await http.SendAsync(Post("""{"jsonrpc":"2.0","method":"notifications/initialized"}""", session));
        Assert.Equal(HttpStatusCode.Accepted, initialized.StatusCode);
        return session;
    }

    private static async Task<(HttpStatusCode Status, string Body)> CallEchoAsync(HttpClient http, string session, int id, string text)
    {
        var call = JsonSerializer.Serialize(new { jsonrpc = "2.0", id, method = "tools/call", @params = new { name = "echo", arguments = new { text } } });
        using var response = await http.SendAsync(Post(call, session));
        var body = await response.Content.ReadAsStringAsync();
        if (response.Content.Headers.ContentType?.MediaType == "text/event-stream")
        {
            body = body.Split('\n').Where(l => l.StartsWith("data: {", StringComparison.Ordinal)).Select(l => l["data: ".Length..]).Last();
        }

        return (response.StatusCode, body);
    }

    private static HttpRequestMessage Post(string body, string? session)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/mcp/echo") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("Accept", "application/json, text/event-stream");
        if (session is not null)
        {
            request.Headers.Add("Mcp-Session-Id", session);
            request.Headers.Add("MCP-Protocol-Version", "2025-06-18");
        }

        return request;
    }

    private static string? EchoText(string body)
    {
        using var document = JsonDocument.Parse(body);
        return document.RootElement.GetProperty("result").GetProperty("content")[0].GetProperty("text").GetString();
    }
}
