using System.Diagnostics;
using System.Globalization;
using System.Net;
using McpPlatform.Gateway.Access.Tests.Infrastructure;

namespace McpPlatform.Gateway.Access.Tests.Access;

/// <summary>
/// The rate limit and the monthly quota through the real gateway (<see cref="EdgeTopology"/>): <c>tools/call</c> at
/// <c>/mcp/echo</c> with keys Access.Api validates, counters in the platform's Redis.
/// </summary>
[Collection(EdgeTopologyCollection.Name)]
public sealed class McpLimitsTests(EdgeTopology platform)
{
    [Fact(Timeout = 180_000)]
    public async Task RateLimit_ToolsCallsOverAWindow_AllowedWithinOneOfGcra_AndRefusedWith429RetryAfterAndJsonRpcError()
    {
        const double rate = 5;
        const int burst = 5;
        var key = await platform.Data.NewKeyAsync(overrides: new { requestsPerSecond = rate, burst });
        using var wire = new McpWire(platform.Echo, key.Secret);
        await wire.OpenAsync(); // initialize takes one permit; the first call finds burst - 1 or burst left

        var clock = Stopwatch.StartNew();
        var allowed = 0;
        TimeSpan firstSent = default, firstAnswered = default, lastSent = default, lastAnswered = default;
        HttpResponseMessage? refused = null;
        var refusedId = 0;
        while (clock.Elapsed < TimeSpan.FromSeconds(3))
        {
            var sent = clock.Elapsed;
            var response = await wire.CallEchoAsync();
            var answered = clock.Elapsed;
            if (allowed == 0 && refused is null)
            {
                (firstSent, firstAnswered) = (sent, answered);
            }

            (lastSent, lastAnswered) = (sent, answered);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                allowed++;
                response.Dispose();
                continue;
            }

            Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
            if (refused is null)
            {
                (refused, refusedId) = (response, wire.LastId);
            }
            else
            {
                response.Dispose();
            }
        }

        using (refused)
        {
            Assert.NotNull(refused);
            Assert.Equal("rate_limited", await Answers.ReasonAsync(refused));
            Assert.True(refused.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), "Retry-After in whole seconds, at least 1");
            var body = await refused.Content.ReadAsStringAsync();
            Assert.Contains("\"code\":-32007", body, StringComparison.Ordinal);
            Assert.Contains($"\"id\":{refusedId.ToString(CultureInfo.InvariantCulture)}", body, StringComparison.Ordinal);
        }

        // GCRA: the tokens at the first call (burst - 1 or burst: initialize took one and may have been refilled) plus
        // one per 1/rate until the last call. The server decided each call somewhere between its send and its answer,
        // so the window is bounded by those; ±1 on top for the edges.
        var fewest = (burst - 1) + (int)Math.Floor(rate * (lastSent - firstAnswered).TotalSeconds) - 1;
        var most = burst + (int)Math.Ceiling(rate * (lastAnswered - firstSent).TotalSeconds) + 1;
        Assert.InRange(allowed, fewest, most);
    }

    [Fact(Timeout = 180_000)]
    public async Task MonthlyQuota_Exhausted_Gets429NamingTheLimitAndTheReset_WhileOtherRequestsGoOn()
    {
        var key = await platform.Data.NewKeyAsync(overrides: new { monthlyQuota = 3, requestsPerSecond = 1000, burst = 1000 });
        using var wire = new McpWire(platform.Echo, key.Secret);
        await wire.OpenAsync();
        for (var i = 0; i < 3; i++)
        {
            using var ok = await wire.CallEchoAsync();
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        using var over = await wire.CallEchoAsync();
        using var list = await wire.ListToolsAsync();

        Assert.Equal(HttpStatusCode.TooManyRequests, over.StatusCode);
        Assert.Equal("quota_exceeded", await Answers.ReasonAsync(over));
        Assert.Contains("\"code\":-32007", await over.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var now = DateTimeOffset.UtcNow;
        var reset = new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero).AddMonths(1);
        var message = await Answers.MessageAsync(over);
        Assert.Contains("monthly quota of 3 tool calls", message, StringComparison.Ordinal);
        Assert.Contains(reset.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture), message, StringComparison.Ordinal);
        Assert.InRange(over.Headers.RetryAfter?.Delta ?? TimeSpan.Zero, reset - now - TimeSpan.FromMinutes(1), reset - now + TimeSpan.FromMinutes(1));
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Equal(3, await platform.Data.QuotaUsedAsync(key.UserId));
    }

    [Fact(Timeout = 180_000)]
    public async Task OverTheQuota_TakesNoRatePermit_AndRateLimited_CountsNoQuota()
    {
        // A permit per 100 s: nothing refills during the test, so every permit taken shows.
        var quotaBound = await platform.Data.NewKeyAsync(overrides: new { requestsPerSecond = 0.01, burst = 3, monthlyQuota = 1 });
        using (var wire = new McpWire(platform.Echo, quotaBound.Secret))
        {
            await wire.OpenAsync();                                   // permit 1
            using var first = await wire.CallEchoAsync();             // permit 2, quota 1 of 1
            using var overQuota = await wire.CallEchoAsync();         // refused by the quota: no permit
            using var list = await wire.ListToolsAsync();             // permit 3
            using var overRate = await wire.ListToolsAsync();

            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
            Assert.Equal("quota_exceeded", await Answers.ReasonAsync(overQuota));
            Assert.Equal(HttpStatusCode.OK, list.StatusCode);
            Assert.Equal("rate_limited", await Answers.ReasonAsync(overRate));
        }

        var rateBound = await platform.Data.NewKeyAsync(overrides: new { requestsPerSecond = 0.01, burst = 2, monthlyQuota = 5 });
        using (var wire = new McpWire(platform.Echo, rateBound.Secret))
        {
            await wire.OpenAsync();                                   // permit 1
            using var first = await wire.CallEchoAsync();             // permit 2, quota 1
            using var limited = await wire.CallEchoAsync();           // refused by the rate: no quota
            using var again = await wire.CallEchoAsync();

            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
            Assert.Equal("rate_limited", await Answers.ReasonAsync(limited));
            Assert.Equal("rate_limited", await Answers.ReasonAsync(again));
            Assert.Equal(1, await platform.Data.QuotaUsedAsync(rateBound.UserId));
        }
    }
}
