using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using McpPlatform.Contracts.Keys;
using McpPlatform.Gateway.Access.Tests.Infrastructure;
using ModelContextProtocol.Client;
using Npgsql;

namespace McpPlatform.Gateway.Access.Tests.Access;

/// <summary>
/// The whole path as AppHost runs it (<see cref="EdgeTopology"/>) with real MCP clients at <c>/mcp/echo</c>: keys.
/// </summary>
[Collection(EdgeTopologyCollection.Name)]
public sealed class McpEndToEndTests(EdgeTopology platform)
{
    private Uri Echo => platform.Echo;

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

        using var rest = new HttpClient { BaseAddress = platform.AccessHttp };
        rest.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", platform.AdminKey);
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
            await using var connection = new NpgsqlConnection(platform.Database);
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

    private async Task<HttpResponseMessage> InitializeRawAsync(string credential)
    {
        using var wire = new McpWire(Echo, credential);
        return await wire.InitializeAsync();
    }
}
