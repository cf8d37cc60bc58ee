using System.Diagnostics;
using System.Net;
using McpPlatform.Gateway.Access.Tests.Infrastructure;

namespace McpPlatform.Gateway.Access.Tests.Access;

[Collection(AccessPlatformCollection.Name)]
public sealed class RevocationTests(AccessPlatform platform)
{
    [Fact]
    public async Task RevokedKey_IsRefusedByTwoReplicasWithinOneSecond()
    {
        await using var a = await GatewayHost.StartAsync(platform.AccessGrpc, platform.Redis);
        await using var b = await GatewayHost.StartAsync(platform.AccessGrpc, platform.Redis);
        var key = await platform.Data.NewKeyAsync();
        var other = await platform.Data.NewKeyAsync();

        // Both replicas have a good answer cached (Access.Api gives it a 30 s TTL).
        foreach (var gateway in new[] { a, b })
        {
            using var ok = await gateway.CallAsync("echo", key.Secret);
            using var otherOk = await gateway.CallAsync("echo", other.Secret);
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
            Assert.Equal(HttpStatusCode.OK, otherOk.StatusCode);
        }

        var revoked = Stopwatch.StartNew();
        await platform.Data.RevokeAsync(key);
        foreach (var gateway in new[] { a, b })
        {
            await Eventually.UntilAsync(async () =>
            {
                using var response = await gateway.CallAsync("echo", key.Secret);
                return response.StatusCode == HttpStatusCode.Unauthorized && await Answers.ReasonAsync(response) == "key_revoked";
            }, "the revoked key to be refused", TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(20));
        }

        Assert.InRange(revoked.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(1));

        // Only that key was forgotten.
        using var stillGood = await b.CallAsync("echo", other.Secret);
        Assert.Equal(HttpStatusCode.OK, stillGood.StatusCode);
    }
}
