using Dapper;
using McpPlatform.Access.Api.Keys;
using McpPlatform.Access.Api.Tests.Infrastructure;
using McpPlatform.Contracts.Access.V1;
using Xunit;
using Reason = McpPlatform.Contracts.Access.V1.Rejection.Types.Reason;

namespace McpPlatform.Access.Api.Tests.Grpc;

[Collection(PlatformCollection.Name)]
public sealed class ValidateKeyTests(PlatformServers servers) : IAsyncLifetime
{
    private AccessUnderTest _access = null!;

    public async Task InitializeAsync() => _access = await AccessUnderTest.StartAsync(servers);

    public async Task DisposeAsync() => await _access.DisposeAsync();

    private async Task<ValidateKeyResponse> ValidateAsync(string key, string server = "") =>
        await _access.Client.ValidateKeyAsync(new ValidateKeyRequest { ApiKey = key, Server = server, ClientIp = "203.0.113.9" });

    private async Task AssertRejectedAsync(string key, Reason reason, string server = "")
    {
        var response = await ValidateAsync(key, server);
        Assert.Equal(ValidateKeyResponse.ResultOneofCase.Rejected, response.ResultCase);
        Assert.Equal(reason, response.Rejected.Reason);
        if (key.Length > 0)
        {
            Assert.DoesNotContain(key, response.Rejected.Message, StringComparison.Ordinal);
        }

        Assert.Equal(TimeSpan.FromSeconds(5), response.CacheTtl.ToTimeSpan());
    }

    [Fact]
    public async Task ValidKey_ReturnsPrincipalWithPlanAndKeyId()
    {
        var (userId, key) = await _access.UserWithKeyAsync("pro");

        var response = await ValidateAsync(key.Secret, "echo");

        Assert.Equal(ValidateKeyResponse.ResultOneofCase.Principal, response.ResultCase);
        var principal = response.Principal;
        Assert.Equal(userId.ToString(), principal.UserId);
        Assert.Equal(userId.ToString(), principal.TenantId);
        Assert.Equal(key.Key.Id.ToString(), principal.KeyId);
        Assert.Equal("test key", principal.KeyName);
        Assert.StartsWith(key.Secret[..12], principal.KeyPrefix, StringComparison.Ordinal);
        Assert.Equal("test", principal.Environment);
        Assert.Equal("pro", principal.Plan.PlanId);
        Assert.Equal(20, principal.Plan.RequestsPerSecond);
        Assert.Equal(40, principal.Plan.Burst);
        Assert.Empty(principal.Scopes);
        Assert.Empty(principal.Roles);
        // The pro plan's keys expire after 30 days (seed 003's rotation).
        Assert.Equal(_access.Time.GetUtcNow().AddDays(30), principal.ExpiresAt.ToDateTimeOffset());
        Assert.Equal(TimeSpan.FromSeconds(30), response.CacheTtl.ToTimeSpan());
    }

    [Fact]
    public async Task BootstrapAdminKey_IsValidWithRoleAdmin()
    {
        var response = await ValidateAsync(_access.AdminKey);

        Assert.Equal(["admin"], response.Principal.Roles);
        Assert.Null(response.Principal.ExpiresAt);
    }

    [Theory]
    [InlineData("")]
    [InlineData("nope")]
    [InlineData("sk_prod_0123456789012345678901234567890123456789012345678")]
    [InlineData("sk_test_' OR 1=1 --")]
    public async Task MalformedKey_IsRejectedAsMalformed(string key) => await AssertRejectedAsync(key, Reason.Malformed);

    [Fact]
    public async Task KeyWithNonBase62Character_IsRejectedAsMalformed()
    {
        var key = TestKeys.Test();
        await AssertRejectedAsync(key[..20] + "-" + key[21..], Reason.Malformed);
    }

    [Fact]
    public async Task MistypedKey_IsRejectedForItsChecksum()
    {
        var (_, key) = await _access.UserWithKeyAsync();
        await AssertRejectedAsync(TestKeys.WithBadChecksum(key.Secret), Reason.BadChecksum);
    }

    [Fact]
    public async Task LiveKeyOnTestDeployment_IsRejectedForItsEnvironment() =>
        await AssertRejectedAsync(TestKeys.Live(), Reason.WrongEnvironment);

    [Fact]
    public async Task WellFormedUnknownKey_IsRejectedAsUnknown() =>
        await AssertRejectedAsync(TestKeys.Test(), Reason.Unknown);

    [Fact]
    public async Task RevokedKey_IsRejectedAsRevoked()
    {
        var (userId, key) = await _access.UserWithKeyAsync();
        Assert.NotNull(await _access.Get<KeyStore>().RevokeAsync(key.Key.Id, userId, "test", "", CancellationToken.None));

        await AssertRejectedAsync(key.Secret, Reason.Revoked);
    }

    [Fact]
    public async Task ExpiredKey_IsRejectedAsExpired_AndValidBefore()
    {
        var (_, key) = await _access.UserWithKeyAsync(key: new NewKey("short", [], null, _access.Time.GetUtcNow().UtcDateTime.AddHours(1)));
        var before = await ValidateAsync(key.Secret);
        Assert.Equal(ValidateKeyResponse.ResultOneofCase.Principal, before.ResultCase);

        _access.Time.Advance(TimeSpan.FromHours(1));

        await AssertRejectedAsync(key.Secret, Reason.Expired);
    }

    [Fact]
    public async Task KeyAboutToExpire_IsCachedNoLongerThanItLives()
    {
        var (_, key) = await _access.UserWithKeyAsync(key: new NewKey("short", [], null, _access.Time.GetUtcNow().UtcDateTime.AddSeconds(7)));

        var response = await ValidateAsync(key.Secret);

        Assert.Equal(TimeSpan.FromSeconds(7), response.CacheTtl.ToTimeSpan());
    }

    [Fact]
    public async Task RotatedKey_WorksDuringGrace_NotAfter_AndReplacementWorks()
    {
        var (userId, key) = await _access.UserWithKeyAsync();
        var replacement = await _access.Get<KeyStore>().RotateAsync(key.Key.Id, userId, TimeSpan.FromMinutes(10), "test", "", CancellationToken.None);
        Assert.NotNull(replacement);

        var during = await ValidateAsync(key.Secret);
        Assert.Equal(key.Key.Id.ToString(), during.Principal.KeyId);
        Assert.Equal(_access.Time.GetUtcNow().AddMinutes(10), during.Principal.ExpiresAt.ToDateTimeOffset());

        _access.Time.Advance(TimeSpan.FromMinutes(10));

        await AssertRejectedAsync(key.Secret, Reason.Expired);
        var fresh = await ValidateAsync(replacement.Secret);
        Assert.Equal(replacement.Key.Id.ToString(), fresh.Principal.KeyId);
    }

    [Fact]
    public async Task KeyOfDisabledUser_IsRejectedAsUserDisabled()
    {
        var (userId, key) = await _access.UserWithKeyAsync();
        await using (var connection = await _access.OpenAsync())
        {
            await connection.ExecuteAsync("UPDATE users SET disabled = true WHERE id = @userId", new { userId });
        }

        await AssertRejectedAsync(key.Secret, Reason.UserDisabled);
    }

    [Fact]
    public async Task ServerOutsidePlan_IsRejected_ServerInsideIsNot()
    {
        await using (var connection = await _access.OpenAsync())
        {
            await connection.ExecuteAsync("INSERT INTO plans (id, name, requests_per_second, burst, allowed_servers) VALUES ('echo-only', 'Echo only', 1, 1, '{echo,files-*}')");
        }

        var (_, key) = await _access.UserWithKeyAsync("echo-only");

        await AssertRejectedAsync(key.Secret, Reason.ServerNotAllowed, "memory");
        Assert.Equal(ValidateKeyResponse.ResultOneofCase.Principal, (await ValidateAsync(key.Secret, "echo")).ResultCase);
        Assert.Equal(ValidateKeyResponse.ResultOneofCase.Principal, (await ValidateAsync(key.Secret, "files-ro")).ResultCase);
        Assert.Equal(ValidateKeyResponse.ResultOneofCase.Principal, (await ValidateAsync(key.Secret)).ResultCase);
    }

    [Fact]
    public async Task ServerOutsideKeyScopes_IsRejected_AndScopesAndOverridesAreReturned()
    {
        var overrides = new PlanOverrides { RequestsPerSecond = 0.5, AllowedServers = ["echo", "memory"] };
        var (_, key) = await _access.UserWithKeyAsync(key: new NewKey("scoped", [new KeyScope("echo", "read_*")], overrides, null));

        await AssertRejectedAsync(key.Secret, Reason.ServerNotAllowed, "memory");
        await AssertRejectedAsync(key.Secret, Reason.ServerNotAllowed, "files");
        var response = await ValidateAsync(key.Secret, "echo");

        var scope = Assert.Single(response.Principal.Scopes);
        Assert.Equal(("echo", "read_*"), (scope.Server, scope.Tool));
        Assert.Equal(0.5, response.Principal.Plan.RequestsPerSecond);
        Assert.Equal(5, response.Principal.Plan.Burst);
        Assert.Equal(["echo", "memory"], response.Principal.Plan.AllowedServers);
    }

    [Fact]
    public async Task Validation_UpdatesLastUsedInABatch_NotPerRequest()
    {
        var (_, key) = await _access.UserWithKeyAsync();
        await ValidateAsync(key.Secret);
        await using var connection = await _access.OpenAsync();
        const string Sql = "SELECT last_used_at FROM api_keys WHERE id = @id";
        Assert.Null(await connection.ExecuteScalarAsync<DateTime?>(Sql, new { id = key.Key.Id }));

        await _access.Get<LastUsedTracker>().FlushAsync(CancellationToken.None);

        Assert.Equal(_access.Time.GetUtcNow().UtcDateTime, await connection.ExecuteScalarAsync<DateTime?>(Sql, new { id = key.Key.Id }));
    }

    [Fact]
    public async Task FailedValidations_AreAuditedWithoutTheKey()
    {
        var unknown = TestKeys.Test();
        await AssertRejectedAsync(unknown, Reason.Unknown);

        var row = await Eventually.ValueAsync(async () =>
        {
            await using var connection = await _access.OpenAsync();
            return await connection.QuerySingleOrDefaultAsync<(string Target, string Ip, string Details)>(
                "SELECT target, ip, details::text FROM audit_log WHERE action = 'key.validate.failed'");
        }, row => row.Target is not null, "the failed validation is audited");

        Assert.Equal(unknown[..12], row.Target);
        Assert.Equal("203.0.113.9", row.Ip);
        Assert.Contains("\"unknown\"", row.Details, StringComparison.Ordinal);
        Assert.DoesNotContain(unknown, row.Details, StringComparison.Ordinal);
    }
}
