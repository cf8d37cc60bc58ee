using System.Net;
using McpPlatform.Gateway.Access.Tests.Infrastructure;

namespace McpPlatform.Gateway.Access.Tests.Access;

[Collection(AccessPlatformCollection.Name)]
public sealed class UsageTests(AccessPlatform platform)
{
    [Fact]
    public async Task ToolCalls_AreStoredOnceEach_FromTwoReplicas()
    {
        await using var a = await GatewayHost.StartAsync(platform.AccessGrpc, platform.Redis);
        await using var b = await GatewayHost.StartAsync(platform.AccessGrpc, platform.Redis);
        var key = await platform.Data.NewKeyAsync();

        for (var i = 0; i < 12; i++)
        {
            using var response = await (i % 2 == 0 ? a : b).CallAsync("echo", key.Secret, "tools/call", "echo");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        await Eventually.UntilAsync(async () => await platform.Data.UsageCountAsync(key.UserId) >= 12, "12 usage events in PostgreSQL");
        Assert.Equal(12, await platform.Data.UsageCountAsync(key.UserId, "tools/call"));
    }

    [Fact]
    public async Task SingleNodeMode_BuffersInMemory_AndStillStoresEveryCall()
    {
        await using var gateway = await GatewayHost.StartAsync(platform.AccessGrpc, redis: null);
        var key = await platform.Data.NewKeyAsync();

        for (var i = 0; i < 5; i++)
        {
            using var response = await gateway.CallAsync("echo", key.Secret, "tools/call", "echo");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        await Eventually.UntilAsync(async () => await platform.Data.UsageCountAsync(key.UserId) >= 5, "5 usage events in PostgreSQL");
        Assert.Equal(5, await platform.Data.UsageCountAsync(key.UserId));
    }
}
