using System.Net;
using McpPlatform.Contracts.Keys;
using McpPlatform.Gateway.Access.Tests.Infrastructure;

namespace McpPlatform.Gateway.Access.Tests.Access;

[Collection(AccessPlatformCollection.Name)]
public sealed class AuthenticationTests(AccessPlatform platform) : IAsyncLifetime
{
    private GatewayHost _gateway = null!;

    public async Task InitializeAsync() => _gateway = await GatewayHost.StartAsync(platform.AccessGrpc, platform.Redis);

    public async Task DisposeAsync() => await _gateway.DisposeAsync();

    [Fact]
    public async Task ValidKey_IsTheKeysUser()
    {
        var key = await platform.Data.NewKeyAsync();

        using var response = await _gateway.CallAsync("echo", key.Secret);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(key.UserId, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoCredential_Gets401ChallengeWithoutError()
    {
        using var response = await _gateway.CallAsync("echo", key: null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("missing_credentials", await Answers.ReasonAsync(response));
        var challenge = Answers.Challenge(response);
        Assert.StartsWith("Bearer resource_metadata=\"", challenge, StringComparison.Ordinal);
        Assert.Contains($"{_gateway.Client.BaseAddress!.ToString().TrimEnd('/')}/.well-known/oauth-protected-resource/mcp/echo\"", challenge, StringComparison.Ordinal);
        Assert.Contains("scope=\"mcp:echo\"", challenge, StringComparison.Ordinal);
        Assert.DoesNotContain("error=", challenge, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not-a-key", "key_malformed")]
    [InlineData("sk_test_short", "key_malformed")]
    [InlineData("sk_prod_0123456789012345678901234567890123456789012345678", "key_malformed")]
    [InlineData("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln", "token_not_supported")]
    public async Task MalformedCredential_Gets401InvalidToken(string credential, string reason)
    {
        using var response = await _gateway.CallAsync("echo", credential);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(reason, await Answers.ReasonAsync(response));
        Assert.Contains("error=\"invalid_token\"", Answers.Challenge(response), StringComparison.Ordinal);
        Assert.Contains("resource_metadata=", Answers.Challenge(response), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WrongChecksum_Gets401BadChecksum_WithoutAskingAccessApi()
    {
        var good = ApiKeyFormat.Generate(ApiKeyEnvironment.Test);
        var mistyped = good[..^1] + (good[^1] == 'a' ? 'b' : 'a');

        // A gateway with no Access.Api at all: a format failure must not need one (it would answer 503).
        await using var isolated = await GatewayHost.StartAsync(accessGrpc: null, redis: null);
        using var response = await isolated.CallAsync("echo", mistyped);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("key_bad_checksum", await Answers.ReasonAsync(response));
    }

    [Fact]
    public async Task UnknownKey_Gets401Unknown()
    {
        using var response = await _gateway.CallAsync("echo", ApiKeyFormat.Generate(ApiKeyEnvironment.Test));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("key_unknown", await Answers.ReasonAsync(response));
        Assert.Contains("error=\"invalid_token\"", Answers.Challenge(response), StringComparison.Ordinal);
    }

    [Fact]
    public async Task LiveKeyOnTestDeployment_Gets401WrongEnvironment()
    {
        var key = await platform.Data.NewKeyAsync(environment: ApiKeyEnvironment.Live);

        using var response = await _gateway.CallAsync("echo", key.Secret);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("key_wrong_environment", await Answers.ReasonAsync(response));
    }

    [Fact]
    public async Task ExpiredKey_Gets401Expired()
    {
        var key = await platform.Data.NewKeyAsync(expiresAt: DateTimeOffset.UtcNow.AddMinutes(-1));

        using var response = await _gateway.CallAsync("echo", key.Secret);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("key_expired", await Answers.ReasonAsync(response));
    }

    [Fact]
    public async Task RevokedKey_Gets401Revoked()
    {
        var key = await platform.Data.NewKeyAsync();
        await platform.Data.RevokeAsync(key);

        using var response = await _gateway.CallAsync("echo", key.Secret);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("key_revoked", await Answers.ReasonAsync(response));
    }

    [Fact]
    public async Task KeyInQueryString_IsRefusedUnread()
    {
        var key = await platform.Data.NewKeyAsync();
        using var response = await _gateway.Client.PostAsync($"/test/mcp/echo?api_key={key.Secret}", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_request", await Answers.ReasonAsync(response));
    }

    [Fact]
    public async Task BasicScheme_Gets401()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/test/mcp/echo") { Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("Authorization", "Basic dXNlcjpwYXNz");
        using var response = await _gateway.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("unsupported_scheme", await Answers.ReasonAsync(response));
    }

    [Fact]
    public async Task AnonymousServer_TakesCallersWithoutCredentials()
    {
        using var response = await _gateway.CallAsync("open", key: null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"anonymous\":true", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
