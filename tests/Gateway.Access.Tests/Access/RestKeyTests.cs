using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using McpPlatform.Gateway.Access.Tests.Infrastructure;

namespace McpPlatform.Gateway.Access.Tests.Access;

/// <summary>Keys made and revoked through Access.Api's own REST API (and its own invalidation message).</summary>
[Collection(AccessPlatformCollection.Name)]
public sealed class RestKeyTests(AccessPlatform platform) : IAsyncLifetime
{
    private readonly HttpClient _rest = new() { BaseAddress = platform.AccessHttp };

    public Task InitializeAsync()
    {
        _rest.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", platform.AdminKey);
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        _rest.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task BootstrapKey_Validates()
    {
        await using var gateway = await GatewayHost.StartAsync(platform.AccessGrpc, platform.Redis);

        using var response = await gateway.CallAsync("echo", platform.AdminKey);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task KeyRevokedThroughRest_IsRefusedByTwoReplicasWithinOneSecond()
    {
        await using var a = await GatewayHost.StartAsync(platform.AccessGrpc, platform.Redis);
        await using var b = await GatewayHost.StartAsync(platform.AccessGrpc, platform.Redis);
        var (secret, id) = await CreateAsync(new { name = "revoke me" });
        foreach (var gateway in new[] { a, b })
        {
            using var ok = await gateway.CallAsync("echo", secret);
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        var revoked = Stopwatch.StartNew();
        using (var delete = await _rest.DeleteAsync($"/keys/{id}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        }

        foreach (var gateway in new[] { a, b })
        {
            await Eventually.UntilAsync(async () =>
            {
                using var response = await gateway.CallAsync("echo", secret);
                return response.StatusCode == HttpStatusCode.Unauthorized;
            }, "the revoked key to be refused", TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(20));
        }

        Assert.InRange(revoked.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task SqlInjectionInKeyNameAndScopes_IsInert()
    {
        await using var gateway = await GatewayHost.StartAsync(platform.AccessGrpc, platform.Redis);
        const string server = "echo' OR '1'='1";
        var (secret, _) = await CreateAsync(new
        {
            name = "x'); DROP TABLE api_keys; --",
            scopes = new[] { new { server, tool = "*' OR 1=1; --" } },
        });

        // The scope is matched literally: not "echo", and no tool name but its own.
        using var echo = await gateway.CallAsync("echo", secret, "tools/list", null);
        using var list = await gateway.CallAsync(Uri.EscapeDataString(server), secret, "tools/list", null, ["a", "*' OR 1=1; --"]);
        using var call = await gateway.CallAsync(Uri.EscapeDataString(server), secret, "tools/call", "a");

        Assert.Equal(HttpStatusCode.Forbidden, echo.StatusCode);
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Equal(["*' OR 1=1; --"], (await list.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("tools").EnumerateArray().Select(t => t.GetString()!));
        Assert.Equal(HttpStatusCode.Forbidden, call.StatusCode);
        await using var connection = await platform.Data.OpenAsync();
        await using var count = new Npgsql.NpgsqlCommand("SELECT count(*) FROM api_keys", connection);
        Assert.True((long)(await count.ExecuteScalarAsync())! >= 2);
    }

    private async Task<(string Secret, string Id)> CreateAsync(object request)
    {
        using var response = await _rest.PostAsJsonAsync("/keys", request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (body.GetProperty("key").GetString()!, body.GetProperty("details").GetProperty("id").GetString()!);
    }
}
