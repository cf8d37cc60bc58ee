using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using McpPlatform.Gateway.Access.Tests.Infrastructure;

namespace McpPlatform.Gateway.Access.Tests.Access;

public sealed class MetadataTests : IAsyncLifetime
{
    private GatewayHost _gateway = null!;

    public async Task InitializeAsync() => _gateway = await GatewayHost.StartAsync(accessGrpc: null, redis: null);

    public async Task DisposeAsync() => await _gateway.DisposeAsync();

    [Fact]
    public async Task ServerDocument_NamesTheCanonicalResourceAndTheAuthorizationServer()
    {
        var origin = _gateway.Client.BaseAddress!.ToString().TrimEnd('/');

        using var response = await _gateway.Client.GetAsync("/.well-known/oauth-protected-resource/mcp/echo");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var document = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal($"{origin}/mcp/echo", document.GetProperty("resource").GetString());
        Assert.Equal([origin], document.GetProperty("authorization_servers").EnumerateArray().Select(e => e.GetString()!));
        Assert.Equal(["header"], document.GetProperty("bearer_methods_supported").EnumerateArray().Select(e => e.GetString()!));
        Assert.Equal(["mcp:echo"], document.GetProperty("scopes_supported").EnumerateArray().Select(e => e.GetString()!));
    }

    [Fact]
    public async Task GatewayDocument_IsServed()
    {
        var origin = _gateway.Client.BaseAddress!.ToString().TrimEnd('/');

        var document = await _gateway.Client.GetFromJsonAsync<JsonElement>("/.well-known/oauth-protected-resource");

        Assert.Equal(origin, document.GetProperty("resource").GetString());
        Assert.Equal(origin, document.GetProperty("authorization_servers")[0].GetString());
    }

    [Fact]
    public async Task ConfiguredIssuerAndPublicUrl_AreUsed()
    {
        await using var gateway = await GatewayHost.StartAsync(null, null, new Dictionary<string, string?>
        {
            ["Gateway:Access:AuthorizationServer"] = "https://login.example.com/",
            ["Gateway:Access:PublicBaseUrl"] = "https://mcp.example.com",
        });

        var document = await gateway.Client.GetFromJsonAsync<JsonElement>("/.well-known/oauth-protected-resource/mcp/files");
        using var challenge = await gateway.CallAsync("files", key: null);

        Assert.Equal("https://mcp.example.com/mcp/files", document.GetProperty("resource").GetString());
        Assert.Equal("https://login.example.com", document.GetProperty("authorization_servers")[0].GetString());
        Assert.Contains("resource_metadata=\"https://mcp.example.com/.well-known/oauth-protected-resource/mcp/files\"", Answers.Challenge(challenge), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/.well-known/oauth-protected-resource/mcp/a%20b")]
    [InlineData("/.well-known/oauth-protected-resource/mcp/%22quote")]
    public async Task OddServerName_Gets404(string path)
    {
        using var response = await _gateway.Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
