using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using McpPlatform.Contracts.Keys;
using McpPlatform.Gateway.Access.Tests.Infrastructure;
using McpPlatform.Hosting;
using McpPlatform.TestSupport;
using ModelContextProtocol.Client;
using Npgsql;
using Xunit.Abstractions;

namespace McpPlatform.Gateway.Access.Tests.Access;

/// <summary>
/// The whole path as AppHost runs it (PostgreSQL, Redis, Access.Api, Dispatcher.Grpc, Worker.Host with the echo
/// sample, Gateway.Edge referencing Access.Api) with real MCP clients at <c>/mcp/echo</c>.
/// </summary>
public sealed class McpEndToEndTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly string _adminKey = ApiKeyFormat.Generate(ApiKeyEnvironment.Test);
    private ServiceUnderTest _service = null!;

    private Uri Echo => new(_service.App.GetEndpoint("gateway-edge"), "/mcp/echo");

    public async Task InitializeAsync()
    {
        _service = await ServiceUnderTest.StartAsync(output, builder =>
        {
            var accessDb = builder.AddPostgres("postgres").AddDatabase("accessdb");
            var redis = builder.AddRedis("redis");
            var access = builder.AddProject("access-api", "Access.Api/Access.Api.csproj")
                .WithHttp2Endpoint("grpc")
                .WithReference(accessDb).WaitFor(accessDb)
                .WithReference(redis).WaitFor(redis)
                .WithEnvironment("Access__Environment", "test")
                .WithEnvironment("Bootstrap__AdminEmail", "admin@example.test")
                .WithEnvironment("Bootstrap__ApiKey", _adminKey);
            var dispatcher = builder.AddProject("dispatcher", "Dispatcher.Grpc/Dispatcher.Grpc.csproj")
                .WithHttp2Endpoint("grpc")
                .WithReference(redis).WaitFor(redis);
            builder.AddProject("worker-host", "Worker.Host/Worker.Host.csproj")
                .WithHttp2Endpoint("grpc")
                .WithReference(dispatcher).WaitFor(dispatcher);
            builder.AddProject("gateway-edge", "Gateway.Edge/Gateway.Edge.csproj")
                .WithReference(redis).WaitFor(redis)
                .WithReference(dispatcher).WaitFor(dispatcher)
                .WithReference(access).WaitFor(access);
        });

        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _adminKey);
        await Eventually.UntilAsync(async () => (await http.GetStringAsync(new Uri(_service.App.GetEndpoint("gateway-edge"), "/mcp"))).Contains("\"echo\"", StringComparison.Ordinal),
            "the worker's servers listed by GET /mcp", TimeSpan.FromSeconds(60));
    }

    public async Task DisposeAsync() => await _service.DisposeAsync();

    [Fact(Timeout = 180_000)]
    public async Task BadKeys_Get401BeforeAnyWorker_AndAScopedKeySeesOnlyItsTools()
    {
        foreach (var (credential, reason) in new[]
                 {
                     ("sk_test_nope", "key_malformed"),
                     (ApiKeyFormat.Generate(ApiKeyEnvironment.Test)[..^1] + "0", "key_"),
                     (ApiKeyFormat.Generate(ApiKeyEnvironment.Test), "key_unknown"),
                     (ApiKeyFormat.Generate(ApiKeyEnvironment.Live), "key_wrong_environment"),
                 })
        {
            using var refused = await InitializeRawAsync(credential);
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            Assert.Contains(reason, await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.Contains("error=\"invalid_token\"", string.Join(",", refused.Headers.GetValues("WWW-Authenticate")), StringComparison.Ordinal);
        }

        using var rest = new HttpClient { BaseAddress = _service.App.GetEndpoint("access-api") };
        rest.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _adminKey);
        using var created = await rest.PostAsJsonAsync("/keys", new { name = "echo only", scopes = new[] { new { server = "echo", tool = "echo" } } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.Content.ReadFromJsonAsync<JsonElement>();
        var key = body.GetProperty("key").GetString()!;
        var keyId = body.GetProperty("details").GetProperty("id").GetString()!;
        var userId = body.GetProperty("details").GetProperty("userId").GetString()!;

        await using (var client = await McpClient.CreateAsync(new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = Echo,
            TransportMode = HttpTransportMode.StreamableHttp,
            AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = "Bearer " + key },
        })))
        {
            var tools = await client.ListToolsAsync();
            var echo = await client.CallToolAsync("echo", new Dictionary<string, object?> { ["text"] = "scoped" });

            Assert.Equal(["echo"], tools.Select(t => t.Name));
            Assert.NotEqual(true, echo.IsError);
            await Assert.ThrowsAnyAsync<Exception>(() => client.CallToolAsync("progress", new Dictionary<string, object?> { ["steps"] = 1 }).AsTask());
        }

        // The allowed call is metered into Access.Api's database.
        await Eventually.UntilAsync(async () =>
        {
            await using var connection = new NpgsqlConnection(_service.App.GetConnectionString("accessdb"));
            await connection.OpenAsync();
            await using var count = new NpgsqlCommand("SELECT count(*) FROM usage_events WHERE user_id = $1 AND method = 'tools/call' AND tool = 'echo'", connection);
            count.Parameters.Add(new NpgsqlParameter { Value = userId });
            return (long)(await count.ExecuteScalarAsync())! == 1;
        }, "the echo call in usage_events");

        // Revoked through Access.Api: refused at once.
        using (var delete = await rest.DeleteAsync($"/keys/{keyId}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        }

        await Eventually.UntilAsync(async () =>
        {
            using var response = await InitializeRawAsync(key);
            return response.StatusCode == HttpStatusCode.Unauthorized;
        }, "the revoked key refused by /mcp/echo", TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(20));
    }

    [Fact(Timeout = 180_000)]
    public async Task PlanMaxOpenSessions_RefusesTheNextInitializeWith429_UntilOneIsDeleted()
    {
        using var rest = new HttpClient { BaseAddress = _service.App.GetEndpoint("access-api") };
        rest.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _adminKey);
        var me = await rest.GetFromJsonAsync<JsonElement>("/me");
        var userId = me.GetProperty("user").GetProperty("id").GetString();
        using var created = await rest.PostAsJsonAsync($"/admin/users/{userId}/keys", new { name = "one session", planOverrides = new { maxOpenSessions = 1 } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var key = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString()!;

        using var first = await InitializeRawAsync(key);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var sessionId = Assert.Single(first.Headers.GetValues("Mcp-Session-Id"));

        using (var second = await InitializeRawAsync(key))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
            Assert.Contains("session_limit", await second.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.True(second.Headers.RetryAfter is not null);
            Assert.False(second.Headers.Contains("Mcp-Session-Id"));
        }

        using (var http = new HttpClient())
        using (var delete = new HttpRequestMessage(HttpMethod.Delete, Echo))
        {
            delete.Headers.TryAddWithoutValidation("Authorization", "Bearer " + key);
            delete.Headers.TryAddWithoutValidation("Mcp-Session-Id", sessionId);
            delete.Headers.TryAddWithoutValidation("MCP-Protocol-Version", "2025-06-18");
            using var deleted = await http.SendAsync(delete);
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        using var third = await InitializeRawAsync(key);
        Assert.Equal(HttpStatusCode.OK, third.StatusCode);
    }

    private async Task<HttpResponseMessage> InitializeRawAsync(string credential)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, Echo)
        {
            Content = new StringContent(
                """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}""",
                Encoding.UTF8, "application/json"),
        };
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/event-stream");
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + credential);
        var response = await http.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }
}
