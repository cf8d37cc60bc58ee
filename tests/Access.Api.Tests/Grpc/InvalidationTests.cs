using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using McpPlatform.Access.Api.Tests.Infrastructure;
using McpPlatform.Stores.Invalidation;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Xunit;

namespace McpPlatform.Access.Api.Tests.Grpc;

/// <summary>Revocation, rotation and user changes reach a subscriber on a real Redis, as a gateway replica would see them.</summary>
[Collection(PlatformCollection.Name)]
public sealed class InvalidationTests(PlatformServers servers) : IAsyncLifetime
{
    private const string Prefix = "inv-test:";
    private readonly BlockingCollection<JsonElement> _messages = [];
    private AccessUnderTest _access = null!;
    private IHost _subscriberHost = null!;
    private IAsyncDisposable _subscription = null!;

    public async Task InitializeAsync()
    {
        _access = await AccessUnderTest.StartAsync(servers, withRedis: true, settings: new Dictionary<string, string?> { ["Stores:KeyPrefix"] = Prefix });
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:redis"] = servers.Redis,
            ["Stores:KeyPrefix"] = Prefix,
        });
        builder.AddPlatformStores();
        _subscriberHost = builder.Build();
        await _subscriberHost.StartAsync();
        _subscription = await _subscriberHost.Services.GetRequiredService<IInvalidationBus>()
            .SubscribeAsync(Topics.AccessKeys, message => _messages.Add(JsonDocument.Parse(message).RootElement.Clone()));
    }

    public async Task DisposeAsync()
    {
        await _subscription.DisposeAsync();
        await _subscriberHost.StopAsync();
        _subscriberHost.Dispose();
        await _access.DisposeAsync();
    }

    private JsonElement Next()
    {
        Assert.True(_messages.TryTake(out var message, TimeSpan.FromSeconds(1)), "no invalidation message within 1 s");
        return message;
    }

    [Fact]
    public async Task RevokeRotateAndDisable_ArePublishedWithTheIdsTheGatewayEvictsBy()
    {
        var (userId, key) = await _access.UserWithKeyAsync();

        await _access.Rest.JsonAsync(HttpMethod.Delete, $"/keys/{key.Key.Id}", key.Secret, HttpStatusCode.NoContent);
        var revoked = Next();
        Assert.Equal("key-revoked", revoked.Str("reason"));
        Assert.Equal(key.Key.Id.ToString(), revoked.Str("keyId"));
        Assert.Equal(userId.ToString(), revoked.Str("userId"));

        var (_, other) = await _access.UserWithKeyAsync();
        await _access.Rest.JsonAsync(HttpMethod.Post, $"/keys/{other.Key.Id}/rotate", other.Secret, HttpStatusCode.Created);
        var rotated = Next();
        Assert.Equal(("key-rotated", other.Key.Id.ToString()), (rotated.Str("reason"), rotated.Str("keyId")));

        await _access.Rest.JsonAsync(HttpMethod.Patch, $"/admin/users/{userId}", _access.AdminKey, HttpStatusCode.OK, new { disabled = true });
        var disabled = Next();
        Assert.Equal(("user-disabled", userId.ToString()), (disabled.Str("reason"), disabled.Str("userId")));
        Assert.False(disabled.TryGetProperty("keyId", out _));

        await _access.Rest.JsonAsync(HttpMethod.Put, "/admin/plans/free", _access.AdminKey, HttpStatusCode.OK,
            new { name = "Free", requestsPerSecond = 1.0, burst = 2, allowedServers = Array.Empty<string>() });
        var plan = Next();
        Assert.Equal(("plan-changed", "free"), (plan.Str("reason"), plan.Str("planId")));
    }
}
