using System.Net;
using Dapper;
using McpPlatform.Access.Api.Audit;
using McpPlatform.Access.Api.Tests.Infrastructure;
using Npgsql;
using Xunit;

namespace McpPlatform.Access.Api.Tests.Audit;

[Collection(PlatformCollection.Name)]
public sealed class AuditChainTests(PlatformServers servers) : IAsyncLifetime
{
    private AccessUnderTest _access = null!;

    public async Task InitializeAsync()
    {
        _access = await AccessUnderTest.StartAsync(servers);
        for (var i = 0; i < 4; i++)
        {
            await _access.Rest.JsonAsync(HttpMethod.Post, "/admin/users", _access.AdminKey, HttpStatusCode.Created, new { email = $"user{i}@example.test" });
        }
    }

    public async Task DisposeAsync() => await _access.DisposeAsync();

    private async Task TamperAsync(string sql)
    {
        await using var connection = await _access.OpenAsync();
        // A superuser can switch triggers off; the chain is what still catches the change.
        await connection.ExecuteAsync("SET session_replication_role = replica; " + sql);
    }

    private async Task<(bool Intact, long? Seq, string? Reason)> VerifyAsync()
    {
        var result = await _access.Rest.JsonAsync(HttpMethod.Get, "/admin/audit/verify", _access.AdminKey, HttpStatusCode.OK);
        return (result.GetProperty("intact").GetBoolean(),
            result.GetProperty("brokenAtSeq").ValueKind == System.Text.Json.JsonValueKind.Null ? null : result.GetProperty("brokenAtSeq").GetInt64(),
            result.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task UntouchedChain_IsIntact_AndTheCliExitsZero()
    {
        Assert.True((await VerifyAsync()).Intact);

        var (exitCode, output) = await AuditVerifyCli.RunAsync("audit", "verify", "--connection-string", _access.Database);

        Assert.Equal(0, exitCode);
        Assert.Equal("audit chain intact: 6 rows", output.Trim());
    }

    [Fact]
    public async Task EditedRow_IsTheFirstBrokenLink_AndTheCliExitsOne()
    {
        await TamperAsync("UPDATE audit_log SET details = jsonb_set(details, '{email}', '\"mallory@example.test\"') WHERE seq = 4");

        var (intact, seq, reason) = await VerifyAsync();

        Assert.False(intact);
        Assert.Equal(4, seq);
        Assert.Contains("edited", reason, StringComparison.Ordinal);
        var (exitCode, output) = await AuditVerifyCli.RunAsync("audit", "verify", "--connection-string", _access.Database);
        Assert.Equal(1, exitCode);
        Assert.StartsWith("audit chain broken at seq 4:", output.Trim(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeletedRow_IsDetectedAtTheNextRow()
    {
        await TamperAsync("DELETE FROM audit_log WHERE seq = 3");

        var (intact, seq, reason) = await VerifyAsync();

        Assert.False(intact);
        Assert.Equal(4, seq);
        Assert.Contains("deleted", reason, StringComparison.Ordinal);
        Assert.Equal(1, (await AuditVerifyCli.RunAsync("audit", "verify", "--connection-string", _access.Database)).ExitCode);
    }

    [Fact]
    public async Task InsertedRow_WithAValidHashOfItsOwn_BreaksTheNextLink()
    {
        await using (var connection = await _access.OpenAsync())
        {
            var previous = await connection.ExecuteScalarAsync<byte[]>("SELECT hash FROM audit_log WHERE seq = 2");
            var at = DateTime.UtcNow;
            var hash = AuditHash.Compute(previous!, 3, at, "user:mallory", "user.create", "user:mallory", "", "{}");
            await connection.ExecuteAsync(
                """
                SET session_replication_role = replica;
                UPDATE audit_log SET seq = seq + 1000000 WHERE seq >= 3;
                UPDATE audit_log SET seq = seq - 999999 WHERE seq > 1000000;
                INSERT INTO audit_log VALUES (3, @at, 'user:mallory', 'user.create', 'user:mallory', '', '{}', @previous, @hash);
                """, new { at = AuditHash.Truncate(at), previous, hash });
        }

        var (intact, seq, reason) = await VerifyAsync();

        Assert.False(intact);
        Assert.Equal(4, seq);
        Assert.Contains("prev_hash", reason, StringComparison.Ordinal);
        Assert.Equal(1, (await AuditVerifyCli.RunAsync("audit", "verify", "--connection-string", _access.Database)).ExitCode);
    }

    [Theory]
    [InlineData("UPDATE audit_log SET actor = 'x' WHERE seq = 1")]
    [InlineData("DELETE FROM audit_log WHERE seq = 1")]
    [InlineData("TRUNCATE audit_log")]
    public async Task UpdateDeleteAndTruncate_AreRefusedByTheTable(string sql)
    {
        await using var connection = await _access.OpenAsync();

        var error = await Assert.ThrowsAsync<PostgresException>(() => connection.ExecuteAsync(sql));

        Assert.Contains("append-only", error.MessageText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cli_WithoutADatabase_ExitsTwoAndSaysWhy()
    {
        var (exitCode, output) = await AuditVerifyCli.RunAsync("audit", "verify");

        Assert.Equal(2, exitCode);
        Assert.Contains("--connection-string", output, StringComparison.Ordinal);
    }
}
