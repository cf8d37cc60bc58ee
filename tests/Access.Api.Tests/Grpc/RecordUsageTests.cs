using System.Net;
using Dapper;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using McpPlatform.Access.Api.Tests.Infrastructure;
using McpPlatform.Contracts.Access.V1;
using Xunit;

namespace McpPlatform.Access.Api.Tests.Grpc;

[Collection(PlatformCollection.Name)]
public sealed class RecordUsageTests(PlatformServers servers) : IAsyncLifetime
{
    private AccessUnderTest _access = null!;

    public async Task InitializeAsync() => _access = await AccessUnderTest.StartAsync(servers);

    public async Task DisposeAsync() => await _access.DisposeAsync();

    private static UsageEvent Event(string id, string user, DateTime at, string server = "echo", string tool = "echo", string method = "tools/call", string status = "ok") => new()
    {
        EventId = id,
        OccurredAt = Timestamp.FromDateTime(at),
        UserId = user,
        TenantId = user,
        KeyId = "key-" + user,
        Server = server,
        Method = method,
        Tool = tool,
        SessionId = "session-1",
        Duration = Duration.FromTimeSpan(TimeSpan.FromMilliseconds(12.5)),
        Status = status,
        RequestBytes = 100,
        ResponseBytes = 1000,
        GatewayId = "gw-1",
    };

    private async Task<long> CountAsync(string sql)
    {
        await using var connection = await _access.OpenAsync();
        return await connection.ExecuteScalarAsync<long>(sql);
    }

    [Fact]
    public async Task SameBatchTwice_IsCountedOnce_AndAuditedOnce()
    {
        var at = DateTime.UtcNow;
        var request = new RecordUsageRequest();
        request.Events.Add(Enumerable.Range(0, 50).Select(i => Event("evt-" + i, "u1", at, method: i % 5 == 0 ? "tools/list" : "tools/call")));

        var first = await _access.Client.RecordUsageAsync(request);
        var second = await _access.Client.RecordUsageAsync(request);

        Assert.Equal((50, 0), (first.Accepted, first.Duplicates));
        Assert.Equal((0, 50), (second.Accepted, second.Duplicates));
        Assert.Equal(50, await CountAsync("SELECT count(*) FROM usage_events"));
        Assert.Equal(40, await CountAsync("SELECT count(*) FROM audit_log WHERE action = 'tool.call'"));
    }

    [Fact]
    public async Task DuplicateWithinABatch_IsStoredOnce()
    {
        var request = new RecordUsageRequest();
        request.Events.Add([Event("same", "u1", DateTime.UtcNow), Event("same", "u1", DateTime.UtcNow), Event("other", "u1", DateTime.UtcNow)]);

        var response = await _access.Client.RecordUsageAsync(request);

        Assert.Equal((2, 1), (response.Accepted, response.Duplicates));
        Assert.Equal(2, await CountAsync("SELECT count(*) FROM audit_log WHERE action = 'tool.call'"));
    }

    [Fact]
    public async Task EventWithoutId_IsInvalidArgument()
    {
        var request = new RecordUsageRequest();
        request.Events.Add(Event("", "u1", DateTime.UtcNow));

        var error = await Assert.ThrowsAsync<RpcException>(async () => await _access.Client.RecordUsageAsync(request));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
    }

    [Fact]
    public async Task ConcurrentBatches_KeepTheAuditChainIntact()
    {
        var at = DateTime.UtcNow;
        await Task.WhenAll(Enumerable.Range(0, 8).Select(async batch =>
        {
            var request = new RecordUsageRequest();
            request.Events.Add(Enumerable.Range(0, 25).Select(i => Event($"b{batch}-{i}", "u" + batch, at)));
            var response = await _access.Client.RecordUsageAsync(request);
            Assert.Equal(25, response.Accepted);
        }));

        var verify = await _access.Rest.JsonAsync(HttpMethod.Get, "/admin/audit/verify", _access.AdminKey, HttpStatusCode.OK);
        Assert.True(verify.GetProperty("intact").GetBoolean(), verify.ToString());
        Assert.Equal(200, await CountAsync("SELECT count(*) FROM audit_log WHERE action = 'tool.call'"));
    }

    [Fact]
    public async Task UsageAggregates_PerDayServerAndTool_ForTheCallerOnly()
    {
        var (userId, key) = await _access.UserWithKeyAsync();
        var user = userId.ToString();
        var day1 = new DateTime(2026, 11, 3, 23, 59, 0, DateTimeKind.Utc);
        var day2 = new DateTime(2026, 11, 4, 0, 1, 0, DateTimeKind.Utc);
        var request = new RecordUsageRequest();
        request.Events.Add(
        [
            Event("a1", user, day1), Event("a2", user, day1, status: "error"), Event("a3", user, day1, tool: "reverse"),
            Event("a4", user, day2), Event("a5", user, day2, server: "memory", tool: "store"),
            Event("b1", "someone-else", day1), Event("old", user, day1.AddDays(-10)),
        ]);
        await _access.Client.RecordUsageAsync(request);

        var report = await _access.Rest.JsonAsync(HttpMethod.Get, "/usage?from=2026-11-03&to=2026-11-04", key.Secret, HttpStatusCode.OK);

        var days = report.GetProperty("days").EnumerateArray()
            .Select(d => (d.Str("day"), d.Str("server"), d.Str("tool"), d.GetProperty("calls").GetInt64(), d.GetProperty("errors").GetInt64(), d.GetProperty("responseBytes").GetInt64()))
            .ToArray();
        Assert.Equal(
        [
            ("2026-11-03", "echo", "echo", 2L, 1L, 2000L), ("2026-11-03", "echo", "reverse", 1L, 0L, 1000L),
            ("2026-11-04", "echo", "echo", 1L, 0L, 1000L), ("2026-11-04", "memory", "store", 1L, 0L, 1000L),
        ], days);
        Assert.Equal(25.0, report.GetProperty("days")[0].GetProperty("totalDurationMs").GetDouble());

        var admin = await _access.Rest.JsonAsync(HttpMethod.Get, "/admin/usage?from=2026-11-03&to=2026-11-03", _access.AdminKey, HttpStatusCode.OK);
        var users = admin.GetProperty("days").EnumerateArray().Select(d => d.Str("userId")).Distinct().Order().ToArray();
        Assert.Equal(new[] { user, "someone-else" }.Order(), users);

        await _access.Rest.ProblemAsync(HttpMethod.Get, "/usage?from=2026-11-05&to=2026-11-01", key.Secret, HttpStatusCode.BadRequest);
        await _access.Rest.ProblemAsync(HttpMethod.Get, "/usage?from=yesterday", key.Secret, HttpStatusCode.BadRequest);
        await _access.Rest.ProblemAsync(HttpMethod.Get, "/usage?from=2020-01-01&to=2026-01-01", key.Secret, HttpStatusCode.BadRequest);
    }
}
