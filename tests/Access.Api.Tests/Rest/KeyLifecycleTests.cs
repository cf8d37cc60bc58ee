using System.Net;
using Dapper;
using McpPlatform.Access.Api.Tests.Infrastructure;
using McpPlatform.Contracts.Access.V1;
using Xunit;

namespace McpPlatform.Access.Api.Tests.Rest;

[Collection(PlatformCollection.Name)]
public sealed class KeyLifecycleTests(PlatformServers servers) : IAsyncLifetime
{
    private AccessUnderTest _access = null!;

    public async Task InitializeAsync() => _access = await AccessUnderTest.StartAsync(servers);

    public async Task DisposeAsync() => await _access.DisposeAsync();

    [Fact]
    public async Task WholeLifecycle_CreateListUseRotateRevoke_IsAuditedWithTheActor()
    {
        var rest = _access.Rest;
        var user = await rest.JsonAsync(HttpMethod.Post, "/admin/users", _access.AdminKey, HttpStatusCode.Created,
            new { email = "ada@example.test", displayName = "Ada", planId = "pro" });
        var userId = user.Str("id");
        var first = await rest.JsonAsync(HttpMethod.Post, $"/admin/users/{userId}/keys", _access.AdminKey, HttpStatusCode.Created,
            new { name = "from admin", planOverrides = new { requestsPerSecond = 3.0 } });
        var firstKey = first.Str("key");

        var me = await rest.JsonAsync(HttpMethod.Get, "/me", firstKey, HttpStatusCode.OK);
        Assert.Equal("ada@example.test", me.GetProperty("user").Str("email"));
        Assert.Equal("pro", me.GetProperty("plan").Str("id"));
        Assert.Equal(first.GetProperty("details").Str("id"), me.Str("keyId"));

        var second = await rest.JsonAsync(HttpMethod.Post, "/keys", firstKey, HttpStatusCode.Created,
            new { name = "laptop", scopes = new[] { new { server = "echo", tool = "*" } }, expiresInDays = 7 });
        var secondKey = second.Str("key");
        var secondId = second.GetProperty("details").Str("id");
        Assert.StartsWith("sk_test_", secondKey, StringComparison.Ordinal);
        Assert.Equal("active", second.GetProperty("details").Str("status"));

        using (var list = await rest.SendAsync(HttpMethod.Get, "/keys", secondKey))
        {
            var text = await list.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.OK, list.StatusCode);
            Assert.DoesNotContain(firstKey, text, StringComparison.Ordinal);
            Assert.DoesNotContain(secondKey, text, StringComparison.Ordinal);
            Assert.Contains(secondKey[..12], text, StringComparison.Ordinal);
        }

        var rotated = await rest.JsonAsync(HttpMethod.Post, $"/keys/{secondId}/rotate", secondKey, HttpStatusCode.Created, new { gracePeriodSeconds = 600 });
        var thirdKey = rotated.Str("key");
        await rest.JsonAsync(HttpMethod.Get, "/me", secondKey, HttpStatusCode.OK);
        await rest.JsonAsync(HttpMethod.Get, "/me", thirdKey, HttpStatusCode.OK);
        var third = await _access.Client.ValidateKeyAsync(new ValidateKeyRequest { ApiKey = thirdKey, Server = "echo" });
        Assert.Equal("echo", Assert.Single(third.Principal.Scopes).Server);
        await rest.ProblemAsync(HttpMethod.Post, $"/keys/{secondId}/rotate", thirdKey, HttpStatusCode.NotFound);

        _access.Time.Advance(TimeSpan.FromMinutes(10));
        await rest.ProblemAsync(HttpMethod.Get, "/me", secondKey, HttpStatusCode.Unauthorized);

        await rest.JsonAsync(HttpMethod.Delete, $"/keys/{rotated.GetProperty("details").Str("id")}", firstKey, HttpStatusCode.NoContent);
        var problem = await rest.ProblemAsync(HttpMethod.Get, "/me", thirdKey, HttpStatusCode.Unauthorized);
        Assert.Contains("revoked", problem.Str("detail"), StringComparison.Ordinal);
        await rest.ProblemAsync(HttpMethod.Delete, $"/keys/{Guid.NewGuid()}", firstKey, HttpStatusCode.NotFound);

        await using var connection = await _access.OpenAsync();
        var actions = (await connection.QueryAsync<(string Actor, string Action)>(
            "SELECT actor, action FROM audit_log WHERE action LIKE 'key.%' AND action <> 'key.validate.failed' ORDER BY seq")).ToArray();
        Assert.Equal(
            [("system", "key.create"), ("user:" + (await AdminIdAsync(connection)), "key.create"), ("user:" + userId, "key.create"),
             ("user:" + userId, "key.rotate"), ("user:" + userId, "key.revoke")],
            actions);
    }

    [Fact]
    public async Task KeysOfAnotherUser_CannotBeRevokedOrRotated()
    {
        var (_, mine) = await _access.UserWithKeyAsync();
        var (_, theirs) = await _access.UserWithKeyAsync();

        await _access.Rest.ProblemAsync(HttpMethod.Delete, $"/keys/{theirs.Key.Id}", mine.Secret, HttpStatusCode.NotFound);
        await _access.Rest.ProblemAsync(HttpMethod.Post, $"/keys/{theirs.Key.Id}/rotate", mine.Secret, HttpStatusCode.NotFound);
        await _access.Rest.JsonAsync(HttpMethod.Get, "/me", theirs.Secret, HttpStatusCode.OK);
    }

    [Fact]
    public async Task KeyList_PagesWithACursor()
    {
        var (userId, key) = await _access.UserWithKeyAsync();
        for (var i = 0; i < 4; i++)
        {
            _access.Time.Advance(TimeSpan.FromSeconds(1));
            await _access.Rest.JsonAsync(HttpMethod.Post, "/keys", key.Secret, HttpStatusCode.Created, new { name = "k" + i });
        }

        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = await _access.Rest.JsonAsync(HttpMethod.Get, "/keys?limit=2" + (cursor is null ? "" : "&cursor=" + cursor), key.Secret, HttpStatusCode.OK);
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(item => item.Str("name")));
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);

        Assert.Equal(["k3", "k2", "k1", "k0", "test key"], seen);
        await _access.Rest.ProblemAsync(HttpMethod.Get, "/keys?cursor=not-a-cursor", key.Secret, HttpStatusCode.BadRequest);
        _ = userId;
    }

    [Fact]
    public async Task CreateKey_WithBadInput_IsAValidationProblem()
    {
        var (_, key) = await _access.UserWithKeyAsync();

        var problem = await _access.Rest.ProblemAsync(HttpMethod.Post, "/keys", key.Secret, HttpStatusCode.BadRequest,
            new { name = "", scopes = new[] { new { server = "", tool = "*" } }, expiresInDays = 0 });

        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty("name", out _));
        Assert.True(errors.TryGetProperty("scopes.server", out _));
        Assert.True(errors.TryGetProperty("expiresInDays", out _));
    }

    private static async Task<string> AdminIdAsync(Npgsql.NpgsqlConnection connection) =>
        (await connection.ExecuteScalarAsync<Guid>("SELECT id FROM users WHERE email = @email", new { email = AccessUnderTest.AdminEmail })).ToString();
}
