using System.Net;
using McpPlatform.Contracts.Keys;
using McpPlatform.Gateway.Access.Tests.Infrastructure;

namespace McpPlatform.Gateway.Access.Tests.Access;

[Collection(AccessPlatformCollection.Name)]
public sealed class AvailabilityTests(AccessPlatform platform)
{
    [Fact]
    public async Task AccessApiUnreachable_UnknownKeysGet503_CachedKeysKeepWorking()
    {
        await using var relay = new TcpRelay(platform.AccessGrpc);
        await using var gateway = await GatewayHost.StartAsync(relay.Address, platform.Redis);
        var cached = await platform.Data.NewKeyAsync();
        var notYetSeen = await platform.Data.NewKeyAsync();
        using (var ok = await gateway.CallAsync("echo", cached.Secret))
        {
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        relay.Cut();

        using var good = await gateway.CallAsync("echo", cached.Secret);
        using var unseen = await gateway.CallAsync("echo", notYetSeen.Secret);
        using var unknown = await gateway.CallAsync("echo", ApiKeyFormat.Generate(ApiKeyEnvironment.Test));
        using var malformed = await gateway.CallAsync("echo", "sk_test_nope");

        Assert.Equal(HttpStatusCode.OK, good.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, unseen.StatusCode);
        Assert.Equal("access_unavailable", await Answers.ReasonAsync(unseen));
        Assert.NotNull(unseen.Headers.RetryAfter);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, malformed.StatusCode);

        relay.Restore();
        await Eventually.UntilAsync(async () =>
        {
            using var response = await gateway.CallAsync("echo", notYetSeen.Secret);
            return response.StatusCode == HttpStatusCode.OK;
        }, "the key to validate once Access.Api is back");
    }
}
