using System.Net;
using Dapper;
using Google.Protobuf.WellKnownTypes;
using McpPlatform.Access.Api.Tests.Infrastructure;
using McpPlatform.Contracts.Access.V1;
using Xunit;

namespace McpPlatform.Access.Api.Tests.Rest;

[Collection(PlatformCollection.Name)]
public sealed class SqlInjectionTests(PlatformServers servers) : IAsyncLifetime
{
    private const string Drop = "x'); DROP TABLE users; --";
    private const string Tautology = "' OR '1'='1";
    private const string Dollar = "$$; DELETE FROM api_keys; $$";

    private AccessUnderTest _access = null!;

    public async Task InitializeAsync() => _access = await AccessUnderTest.StartAsync(servers);

    public async Task DisposeAsync() => await _access.DisposeAsync();

    [Fact]
    public async Task InjectionAttemptsInEveryStringField_AreStoredVerbatim_AndChangeNothingElse()
    {
        var rest = _access.Rest;
        var email = "o'brien\";DROP/**/TABLE/**/users;--@example.test";
        var user = await rest.JsonAsync(HttpMethod.Post, "/admin/users", _access.AdminKey, HttpStatusCode.Created,
            new { email, displayName = Drop, roles = Array.Empty<string>(), planId = "free" });
        var userId = user.Str("id");
        await rest.JsonAsync(HttpMethod.Patch, $"/admin/users/{userId}", _access.AdminKey, HttpStatusCode.OK, new { displayName = Tautology });
        var plan = await rest.JsonAsync(HttpMethod.Post, "/admin/plans", _access.AdminKey, HttpStatusCode.Created,
            new { id = "inj", name = Drop, requestsPerSecond = 1.0, burst = 1, allowedServers = new[] { Tautology, "*" } });
        Assert.Equal(Drop, plan.Str("name"));
        var created = await rest.JsonAsync(HttpMethod.Post, $"/admin/users/{userId}/keys", _access.AdminKey, HttpStatusCode.Created,
            new { name = Dollar, scopes = new[] { new { server = Tautology, tool = Drop }, new { server = "*", tool = "*" } } });
        var key = created.Str("key");

        var me = await rest.JsonAsync(HttpMethod.Get, "/me", key, HttpStatusCode.OK);
        Assert.Equal(email, me.GetProperty("user").Str("email"));
        Assert.Equal(Tautology, me.GetProperty("user").Str("displayName"));
        var keys = await rest.JsonAsync(HttpMethod.Get, "/keys", key, HttpStatusCode.OK);
        var listed = Assert.Single(keys.GetProperty("items").EnumerateArray());
        Assert.Equal(Dollar, listed.Str("name"));
        Assert.Equal(Drop, listed.GetProperty("scopes")[0].Str("tool"));

        var validation = await _access.Client.ValidateKeyAsync(new ValidateKeyRequest { ApiKey = key, Server = "echo'; DROP TABLE plans; --", ClientIp = Drop });
        Assert.Equal(ValidateKeyResponse.ResultOneofCase.Principal, validation.ResultCase);
        var injectedKey = await _access.Client.ValidateKeyAsync(new ValidateKeyRequest { ApiKey = "sk_test_" + Tautology });
        Assert.Equal(Rejection.Types.Reason.Malformed, injectedKey.Rejected.Reason);

        var usage = new RecordUsageRequest();
        usage.Events.Add(new UsageEvent
        {
            EventId = Drop, OccurredAt = Timestamp.FromDateTime(DateTime.UtcNow), UserId = userId, TenantId = Tautology, KeyId = Dollar,
            Server = Drop, Method = "tools/call", Tool = Tautology, SessionId = Dollar, Status = Drop, GatewayId = Tautology,
        });
        Assert.Equal(1, (await _access.Client.RecordUsageAsync(usage)).Accepted);
        Assert.Equal(1, (await _access.Client.RecordUsageAsync(usage)).Duplicates);
        var report = await rest.JsonAsync(HttpMethod.Get, "/usage", key, HttpStatusCode.OK);
        var day = Assert.Single(report.GetProperty("days").EnumerateArray());
        Assert.Equal((Drop, Tautology), (day.Str("server"), day.Str("tool")));

        await rest.ProblemAsync(HttpMethod.Get, "/usage?from=2026-01-01'%20OR%201=1--", key, HttpStatusCode.BadRequest);
        await rest.ProblemAsync(HttpMethod.Get, "/keys?cursor=" + Uri.EscapeDataString(Tautology), key, HttpStatusCode.BadRequest);
        await rest.ProblemAsync(HttpMethod.Get, "/admin/plans/" + Uri.EscapeDataString(Tautology), _access.AdminKey, HttpStatusCode.NotFound);
        await rest.ProblemAsync(HttpMethod.Post, "/admin/plans", _access.AdminKey, HttpStatusCode.BadRequest,
            new { id = Drop, name = "n", requestsPerSecond = 1.0, burst = 1, allowedServers = Array.Empty<string>() });

        await using var connection = await _access.OpenAsync();
        Assert.Equal(2, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM users"));
        Assert.Equal(2, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM api_keys"));
        Assert.Equal(3, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM plans"));
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM usage_events"));
        var verify = await rest.JsonAsync(HttpMethod.Get, "/admin/audit/verify", _access.AdminKey, HttpStatusCode.OK);
        Assert.True(verify.GetProperty("intact").GetBoolean());
    }
}
