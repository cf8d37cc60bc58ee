using System.Net;
using McpPlatform.Access.Api.Tests.Infrastructure;
using McpPlatform.Contracts.Access.V1;
using Xunit;
using Reason = McpPlatform.Contracts.Access.V1.Rejection.Types.Reason;

namespace McpPlatform.Access.Api.Tests.Rest;

[Collection(PlatformCollection.Name)]
public sealed class AdminTests(PlatformServers servers) : IAsyncLifetime
{
    private static readonly (string Method, string Path)[] AdminEndpoints =
    [
        ("GET", "/admin/users"), ("POST", "/admin/users"), ("GET", "/admin/users/{user}"), ("PATCH", "/admin/users/{user}"),
        ("GET", "/admin/users/{user}/keys"), ("POST", "/admin/users/{user}/keys"), ("DELETE", "/admin/users/{user}/keys/{key}"),
        ("GET", "/admin/plans"), ("GET", "/admin/plans/free"), ("POST", "/admin/plans"), ("PUT", "/admin/plans/free"), ("DELETE", "/admin/plans/free"),
        ("GET", "/admin/usage"), ("GET", "/admin/audit"), ("GET", "/admin/audit/verify"),
    ];

    private AccessUnderTest _access = null!;

    public async Task InitializeAsync() => _access = await AccessUnderTest.StartAsync(servers);

    public async Task DisposeAsync() => await _access.DisposeAsync();

    [Fact]
    public async Task AdminEndpoints_RefuseANormalUser403_AndNoCredentials401()
    {
        var (userId, key) = await _access.UserWithKeyAsync();
        foreach (var (method, template) in AdminEndpoints)
        {
            var path = template.Replace("{user}", userId.ToString(), StringComparison.Ordinal).Replace("{key}", key.Key.Id.ToString(), StringComparison.Ordinal);
            var body = method is "POST" or "PUT" or "PATCH" ? new { name = "x" } : null;
            await _access.Rest.ProblemAsync(new HttpMethod(method), path, key.Secret, HttpStatusCode.Forbidden, body);
            await _access.Rest.ProblemAsync(new HttpMethod(method), path, null, HttpStatusCode.Unauthorized, body);
        }

        // Nothing was changed by the refused calls.
        await _access.Rest.JsonAsync(HttpMethod.Get, "/me", key.Secret, HttpStatusCode.OK);
        var plan = await _access.Rest.JsonAsync(HttpMethod.Get, "/admin/plans/free", _access.AdminKey, HttpStatusCode.OK);
        Assert.Equal("Free", plan.Str("name"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Basic dXNlcjpwYXNz")]
    [InlineData("Bearer nope")]
    [InlineData("Bearer sk_live_0000000000000000000000000000000000000000000000000")]
    public async Task UserEndpoints_WithoutAGoodKey_Are401ProblemDetails(string? authorization)
    {
        foreach (var path in new[] { "/me", "/keys", "/usage" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            if (authorization is not null)
            {
                request.Headers.TryAddWithoutValidation("Authorization", authorization);
            }

            using var response = await _access.Rest.SendAsync(request);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.StartsWith("Bearer", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task DisablingAUser_RejectsTheirKeys_AndSettingAPlanChangesThePrincipal()
    {
        var (userId, key) = await _access.UserWithKeyAsync();

        var updated = await _access.Rest.JsonAsync(HttpMethod.Patch, $"/admin/users/{userId}", _access.AdminKey, HttpStatusCode.OK, new { planId = "pro" });
        Assert.Equal("pro", updated.Str("planId"));
        var principal = await _access.Client.ValidateKeyAsync(new ValidateKeyRequest { ApiKey = key.Secret });
        Assert.Equal("pro", principal.Principal.Plan.PlanId);

        await _access.Rest.JsonAsync(HttpMethod.Patch, $"/admin/users/{userId}", _access.AdminKey, HttpStatusCode.OK, new { disabled = true });
        var rejected = await _access.Client.ValidateKeyAsync(new ValidateKeyRequest { ApiKey = key.Secret });
        Assert.Equal(Reason.UserDisabled, rejected.Rejected.Reason);
        await _access.Rest.ProblemAsync(HttpMethod.Get, "/me", key.Secret, HttpStatusCode.Unauthorized);

        await _access.Rest.ProblemAsync(HttpMethod.Patch, $"/admin/users/{userId}", _access.AdminKey, HttpStatusCode.BadRequest, new { planId = "gold" });
        await _access.Rest.ProblemAsync(HttpMethod.Patch, $"/admin/users/{Guid.NewGuid()}", _access.AdminKey, HttpStatusCode.NotFound, new { disabled = true });
    }

    [Fact]
    public async Task Users_CreateListAndConflicts()
    {
        var created = await _access.Rest.JsonAsync(HttpMethod.Post, "/admin/users", _access.AdminKey, HttpStatusCode.Created, new { email = "Grace@Example.test" });
        Assert.Equal("free", created.Str("planId"));
        await _access.Rest.ProblemAsync(HttpMethod.Post, "/admin/users", _access.AdminKey, HttpStatusCode.Conflict, new { email = "grace@example.TEST" });
        await _access.Rest.ProblemAsync(HttpMethod.Post, "/admin/users", _access.AdminKey, HttpStatusCode.BadRequest, new { email = "not-an-email" });
        await _access.Rest.ProblemAsync(HttpMethod.Post, "/admin/users", _access.AdminKey, HttpStatusCode.BadRequest, new { email = "x@example.test", planId = "gold" });

        var page = await _access.Rest.JsonAsync(HttpMethod.Get, "/admin/users?limit=1", _access.AdminKey, HttpStatusCode.OK);
        Assert.Equal(AccessUnderTest.AdminEmail, Assert.Single(page.GetProperty("items").EnumerateArray()).Str("email"));
        var next = await _access.Rest.JsonAsync(HttpMethod.Get, "/admin/users?limit=1&cursor=" + page.Str("nextCursor"), _access.AdminKey, HttpStatusCode.OK);
        Assert.Equal("Grace@Example.test", Assert.Single(next.GetProperty("items").EnumerateArray()).Str("email"));
    }

    [Fact]
    public async Task Plans_Crud_AndAPlanInUseCannotBeDeleted()
    {
        var plan = new { id = "team", name = "Team", requestsPerSecond = 10.0, burst = 20, maxConcurrentJobs = 4, monthlyQuota = 5000, allowedServers = new[] { "echo" }, maxOpenSessions = 5, keyExpiryDays = (int?)null };
        await _access.Rest.JsonAsync(HttpMethod.Post, "/admin/plans", _access.AdminKey, HttpStatusCode.Created, plan);
        await _access.Rest.ProblemAsync(HttpMethod.Post, "/admin/plans", _access.AdminKey, HttpStatusCode.Conflict, plan);
        await _access.Rest.ProblemAsync(HttpMethod.Post, "/admin/plans", _access.AdminKey, HttpStatusCode.BadRequest, plan with { id = "Bad Id", burst = 0 });

        var replaced = await _access.Rest.JsonAsync(HttpMethod.Put, "/admin/plans/team", _access.AdminKey, HttpStatusCode.OK, plan with { name = "Team+", burst = 30 });
        Assert.Equal(30, replaced.GetProperty("burst").GetInt32());
        var (userId, key) = await _access.UserWithKeyAsync("team");
        var principal = await _access.Client.ValidateKeyAsync(new ValidateKeyRequest { ApiKey = key.Secret, Server = "echo" });
        Assert.Equal("Team+", principal.Principal.Plan.Name);

        await _access.Rest.ProblemAsync(HttpMethod.Delete, "/admin/plans/team", _access.AdminKey, HttpStatusCode.Conflict);
        await _access.Rest.JsonAsync(HttpMethod.Patch, $"/admin/users/{userId}", _access.AdminKey, HttpStatusCode.OK, new { planId = "free" });
        await _access.Rest.JsonAsync(HttpMethod.Delete, "/admin/plans/team", _access.AdminKey, HttpStatusCode.NoContent);
        await _access.Rest.ProblemAsync(HttpMethod.Get, "/admin/plans/team", _access.AdminKey, HttpStatusCode.NotFound);

        var audit = await _access.Rest.JsonAsync(HttpMethod.Get, "/admin/audit?limit=200", _access.AdminKey, HttpStatusCode.OK);
        var actions = audit.GetProperty("items").EnumerateArray().Select(item => item.Str("action")).ToArray();
        Assert.Contains("plan.create", actions);
        Assert.Contains("plan.update", actions);
        Assert.Contains("plan.delete", actions);
        Assert.Contains("user.update", actions);
    }

    [Fact]
    public async Task AdminKeys_ForAnotherUser_CarryPlanOverrides_AndCanBeRevoked()
    {
        var (userId, _) = await _access.UserWithKeyAsync();
        var created = await _access.Rest.JsonAsync(HttpMethod.Post, $"/admin/users/{userId}/keys", _access.AdminKey, HttpStatusCode.Created,
            new { name = "partner", planOverrides = new { burst = 99, allowedServers = new[] { "echo" } } });
        var principal = await _access.Client.ValidateKeyAsync(new ValidateKeyRequest { ApiKey = created.Str("key") });
        Assert.Equal(99, principal.Principal.Plan.Burst);

        var keys = await _access.Rest.JsonAsync(HttpMethod.Get, $"/admin/users/{userId}/keys", _access.AdminKey, HttpStatusCode.OK);
        Assert.Equal(2, keys.GetProperty("items").GetArrayLength());
        await _access.Rest.JsonAsync(HttpMethod.Delete, $"/admin/users/{userId}/keys/{created.GetProperty("details").Str("id")}", _access.AdminKey, HttpStatusCode.NoContent);
        Assert.Equal(Reason.Revoked, (await _access.Client.ValidateKeyAsync(new ValidateKeyRequest { ApiKey = created.Str("key") })).Rejected.Reason);
        await _access.Rest.ProblemAsync(HttpMethod.Post, $"/admin/users/{userId}/keys", _access.AdminKey, HttpStatusCode.BadRequest,
            new { name = "bad", planOverrides = new { burst = -1 } });
    }
}
