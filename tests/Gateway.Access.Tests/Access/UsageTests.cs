using System.Net;
using Google.Protobuf.WellKnownTypes;
using McpPlatform.Contracts.Access.V1;
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

    [Fact]
    public async Task AnEntryOfSeveralEvents_OneOfWhichAccessApiRefuses_StoresTheOthersAndDropsOnlyThatOne()
    {
        await using var gateway = await GatewayHost.StartAsync(platform.AccessGrpc, platform.Redis);
        var key = await platform.Data.NewKeyAsync();

        // PostgreSQL refuses a NUL character in text: Access.Api answers INTERNAL for any batch holding that event.
        await platform.Data.AppendUsageAsync([Event(key), Event(key, server: "bad\0server"), Event(key)]);
        await platform.Data.AppendUsageAsync([Event(key)], singleForm: true);
        await Eventually.UntilAsync(async () => await platform.Data.UsageCountAsync(key.UserId) >= 3, "the 3 good events in PostgreSQL");
        // An entry appended after the refused one is stored only once the drainer has moved past it.
        await platform.Data.AppendUsageAsync([Event(key, method: "tools/list")]);
        await Eventually.UntilAsync(async () => await platform.Data.UsageCountAsync(key.UserId, "tools/list") == 1, "the later entry in PostgreSQL");

        Assert.Equal(3, await platform.Data.UsageCountAsync(key.UserId, "tools/call"));
    }

    private static UsageEvent Event(TestKey key, string server = "echo", string method = "tools/call") => new()
    {
        EventId = Guid.CreateVersion7().ToString(),
        OccurredAt = Timestamp.FromDateTime(DateTime.UtcNow),
        UserId = key.UserId,
        TenantId = key.UserId,
        KeyId = key.KeyId,
        Server = server,
        Method = method,
        Tool = method == "tools/call" ? "echo" : "",
        Duration = Duration.FromTimeSpan(TimeSpan.FromMilliseconds(3)),
        Status = "ok",
        GatewayId = "usage-test",
    };
}
