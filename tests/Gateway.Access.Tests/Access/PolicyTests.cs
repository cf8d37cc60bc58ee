using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using McpPlatform.Gateway.Access.Tests.Infrastructure;

namespace McpPlatform.Gateway.Access.Tests.Access;

[Collection(AccessPlatformCollection.Name)]
public sealed class PolicyTests(AccessPlatform platform) : IAsyncLifetime
{
    private GatewayHost _a = null!;
    private GatewayHost _b = null!;

    public async Task InitializeAsync()
    {
        _a = await GatewayHost.StartAsync(platform.AccessGrpc, platform.Redis);
        _b = await GatewayHost.StartAsync(platform.AccessGrpc, platform.Redis);
    }

    public async Task DisposeAsync()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
    }

    [Fact]
    public async Task Scopes_FilterToolsList_AndBlockOtherTools()
    {
        var key = await platform.Data.NewKeyAsync(scopes: [("echo", "read_*")]);

        using var list = await _a.CallAsync("echo", key.Secret, "tools/list", null, ["read_a", "write_b", "read_c", "readme"]);
        using var allowed = await _a.CallAsync("echo", key.Secret, "tools/call", "read_a");
        using var blocked = await _a.CallAsync("echo", key.Secret, "tools/call", "write_b");

        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        var tools = (await list.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("tools").EnumerateArray().Select(t => t.GetString()!).ToArray();
        Assert.Equal(["read_a", "read_c"], tools);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, blocked.StatusCode);
        Assert.Equal("insufficient_scope", await Answers.ReasonAsync(blocked));
        var challenge = Answers.Challenge(blocked);
        Assert.Contains("error=\"insufficient_scope\"", challenge, StringComparison.Ordinal);
        Assert.Contains("scope=\"mcp:echo:write_b\"", challenge, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ScopeWithoutTheServer_Gets403AtAuthentication()
    {
        var key = await platform.Data.NewKeyAsync(scopes: [("echo", "*")]);

        using var response = await _a.CallAsync("files", key.Secret, "tools/list", null);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("insufficient_scope", await Answers.ReasonAsync(response));
        Assert.Contains("error=\"insufficient_scope\"", Answers.Challenge(response), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PlanWithoutTheServer_Gets403ServerNotAllowed()
    {
        var key = await platform.Data.NewKeyAsync(overrides: new { allowedServers = new[] { "echo" } });

        using var other = await _a.CallAsync("files", key.Secret);
        using var echo = await _a.CallAsync("echo", key.Secret);

        Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
        Assert.Equal("server_not_allowed", await Answers.ReasonAsync(other));
        Assert.Equal(HttpStatusCode.OK, echo.StatusCode);
    }

    [Fact]
    public async Task RateLimit_AllowsBurstPlusRateOverAWindow_SharedByReplicas()
    {
        const double rate = 4;
        const int burst = 6;
        var key = await platform.Data.NewKeyAsync(overrides: new { requestsPerSecond = rate, burst });
        using (var warm = await _a.CallAsync("echo", key.Secret, "notifications/initialized", null))
        using (var warmB = await _b.CallAsync("echo", key.Secret, "notifications/initialized", null))
        {
            Assert.Equal(HttpStatusCode.OK, warm.StatusCode);
            Assert.Equal(HttpStatusCode.OK, warmB.StatusCode);
        }

        var allowed = 0;
        var limited = 0;
        HttpResponseMessage? firstLimited = null;
        var outer = Stopwatch.StartNew();
        TimeSpan lastAllowedAt = default;
        var i = 0;
        while (outer.Elapsed < TimeSpan.FromSeconds(2.5))
        {
            var response = await (i++ % 2 == 0 ? _a : _b).CallAsync("echo", key.Secret, "tools/list", null);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                allowed++;
                lastAllowedAt = outer.Elapsed;
                response.Dispose();
            }
            else
            {
                Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
                limited++;
                if (firstLimited is null)
                {
                    firstLimited = response;
                }
                else
                {
                    response.Dispose();
                }
            }
        }

        var window = outer.Elapsed;
        Assert.NotNull(firstLimited);
        Assert.Equal("rate_limited", await Answers.ReasonAsync(firstLimited));
        Assert.True(firstLimited.Headers.RetryAfter?.Delta is { } retry && retry >= TimeSpan.FromSeconds(1), "429 carries Retry-After in whole seconds");
        Assert.Contains("\"code\":-32007", await firstLimited.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        firstLimited.Dispose();

        // GCRA from a full bucket: burst at once, then one per 1/rate; +1 for the edges of the measured window. The
        // lower bound is the burst alone plus what the last allowed request proves had refilled: a stalled machine
        // (long gaps between requests, when the full bucket stops refilling) can only lower the count, never raise it.
        var most = burst + (int)Math.Ceiling(rate * window.TotalSeconds) + 1;
        Assert.InRange(allowed, burst, most);
        Assert.True(lastAllowedAt > TimeSpan.Zero);
        Assert.True(limited > 0);
    }

    [Fact]
    public async Task Notifications_AreNeverRateLimited()
    {
        var key = await platform.Data.NewKeyAsync(overrides: new { requestsPerSecond = 0.1, burst = 1 });

        using var first = await _a.CallAsync("echo", key.Secret, "tools/list", null);
        using var second = await _a.CallAsync("echo", key.Secret, "tools/list", null);
        using var cancel = await _a.CallAsync("echo", key.Secret, "notifications/cancelled", null);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
    }

    [Fact]
    public async Task MonthlyQuota_ExhaustedAcrossReplicas_SaysWhichLimitAndWhenItResets()
    {
        var key = await platform.Data.NewKeyAsync(overrides: new { monthlyQuota = 3 });

        for (var i = 0; i < 3; i++)
        {
            using var ok = await (i % 2 == 0 ? _a : _b).CallAsync("echo", key.Secret, "tools/call", "echo");
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        using var over = await _b.CallAsync("echo", key.Secret, "tools/call", "echo");
        using var list = await _a.CallAsync("echo", key.Secret, "tools/list", null);

        Assert.Equal(HttpStatusCode.TooManyRequests, over.StatusCode);
        Assert.Equal("quota_exceeded", await Answers.ReasonAsync(over));
        var now = DateTime.UtcNow;
        var reset = new DateTime(now.Year, now.Month, 1, 0, 0, 0, DateTimeKind.Utc).AddMonths(1);
        var message = await Answers.MessageAsync(over);
        Assert.Contains("monthly quota of 3 tool calls", message, StringComparison.Ordinal);
        Assert.Contains(reset.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture), message, StringComparison.Ordinal);
        Assert.True(over.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
    }

    [Fact]
    public async Task MonthlyQuota_ResetsOnTheFirstOfTheNextMonth_ToTheFullQuota()
    {
        var time = new ShiftedTime();
        await using var gateway = await GatewayHost.StartAsync(platform.AccessGrpc, platform.Redis, time: time);
        var key = await platform.Data.NewKeyAsync(overrides: new { monthlyQuota = 2 });
        for (var i = 0; i < 2; i++)
        {
            using var ok = await gateway.CallAsync("echo", key.Secret);
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        using (var over = await gateway.CallAsync("echo", key.Secret))
        {
            Assert.Equal("quota_exceeded", await Answers.ReasonAsync(over));
        }

        // The answer named the first of next month, 00:00 UTC: one second past it the month's calls are available again.
        var now = time.GetUtcNow();
        time.Offset = new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 1, TimeSpan.Zero).AddMonths(1) - now;
        for (var i = 0; i < 2; i++)
        {
            using var ok = await gateway.CallAsync("echo", key.Secret);
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        using var overAgain = await gateway.CallAsync("echo", key.Secret);
        Assert.Equal("quota_exceeded", await Answers.ReasonAsync(overAgain));
        var nextReset = new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero).AddMonths(2);
        Assert.Contains(nextReset.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture), await Answers.MessageAsync(overAgain), StringComparison.Ordinal);
    }
}
