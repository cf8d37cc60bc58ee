using System.Collections.Concurrent;
using System.Diagnostics;
using McpPlatform.Gateway.Access.Tests.Infrastructure;
using McpPlatform.Gateway.Edge.Access;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace McpPlatform.Gateway.Access.Tests.Access;

/// <summary>
/// The rate limit and the monthly quota taken from Redis in allotments (Gateway.Edge/Access/Policy), through the
/// access layer's <see cref="ICallPolicy"/> on gateway replicas composed as Gateway.Edge composes them, on a Redis of
/// their own whose <c>INFO commandstats</c> counts the script calls.
/// </summary>
[Collection(LimitsRedisCollection.Name)]
public sealed class AllotmentTests(LimitsRedis redis, ITestOutputHelper output)
{
    private static readonly CallerPlan Bench = new("bench", 1_000_000, 1_000_000, 0, 1_000_000_000_000, [], 0);

    [Fact]
    public async Task SmallPlan_TakesOneScriptCallPerCall_AndAnswersAsBefore()
    {
        await using var gateway = await StartAsync();
        var caller = NewCaller(new CallerPlan("small", 0.01, 5, 0, 3, [], 0));
        var before = await ScriptCallsAfterWarmUpAsync(gateway);

        var calls = new List<AccessDenial?>();
        for (var i = 0; i < 4; i++)
        {
            calls.Add(await CallAsync(gateway, caller));
        }

        for (var i = 0; i < 3; i++)
        {
            calls.Add(await CallAsync(gateway, caller, "tools/list"));
        }

        Assert.Equal([null, null, null, "quota_exceeded", null, null, "rate_limited"], calls.Select(c => c?.Reason));
        Assert.True(calls[6]!.RetryAfter > TimeSpan.FromSeconds(90), "a permit per 100 s: retry in about 100 s");
        Assert.Equal(7, await redis.ScriptCallsAsync() - before);
        Assert.Equal(3, await redis.QuotaUsedAsync(caller.PrincipalId));
    }

    [Fact]
    public async Task AllotmentsOff_TakeOneScriptCallPerCall_EvenOnTheBenchPlan()
    {
        await using var gateway = await StartAsync(new() { ["Gateway:Access:Limits:Allotments"] = "false" });
        var caller = NewCaller(Bench);
        var before = await ScriptCallsAfterWarmUpAsync(gateway);

        for (var i = 0; i < 50; i++)
        {
            Assert.Null(await CallAsync(gateway, caller));
        }

        Assert.Equal(50, await redis.ScriptCallsAsync() - before);
        Assert.Equal(50, await redis.QuotaUsedAsync(caller.PrincipalId));
    }

    [Fact]
    public async Task ConcurrentCallers_OfAnEmptyAllotment_ShareOneReservation_AndTheBenchPlanNeedsAlmostNone()
    {
        // A 0.5 s window: a stalled machine cannot expire a chunk between two reservations, and the bucket (1,000,000)
        // keeps the window's 500,000 permits free beyond each chunk.
        await using var gateway = await StartAsync(new() { ["Gateway:Access:Limits:AllotmentWindow"] = "00:00:00.500" });
        var caller = NewCaller(Bench);
        var before = await ScriptCallsAfterWarmUpAsync(gateway);

        var answers = await Task.WhenAll(Enumerable.Range(0, 64).Select(_ => Task.Run(async () => await CallAsync(gateway, caller))));

        // Chunks double from one while used up within the window: 1 + 2 + 4 + 8 + 16 + 32 + 64 ≥ 64 is 7 reservations
        // (each caller reserving for itself would be 64).
        Assert.All(answers, Assert.Null);
        var concurrent = await redis.ScriptCallsAsync() - before;
        Assert.InRange(concurrent, 1, 7);

        const int more = 10_000;
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < more; i++)
        {
            Assert.Null(await CallAsync(gateway, caller));
        }

        var steady = await redis.ScriptCallsAsync() - before - concurrent;
        output.WriteLine($"bench plan: {steady} script calls for {more} calls ({steady * 1000d / more:0.#} per 1,000) in {clock.Elapsed.TotalMilliseconds:0} ms");
        Assert.True(steady <= (more / 256) + (2 * clock.Elapsed / TimeSpan.FromSeconds(1)) + 4, $"{steady} script calls for {more} calls: chunks of 256, each lasting at most a window");
    }

    [Fact]
    public async Task TwoReplicas_TogetherNeverExceedTheQuota_AndUseAllOfIt()
    {
        await using var a = await StartAsync();
        await using var b = await StartAsync();
        var caller = NewCaller(new CallerPlan("quota", 0, 0, 0, 10_000, [], 0));
        var before = await redis.ScriptCallsAsync();
        var allowed = 0;

        // Each loop calls until it is refused: by then its replica holds no unit, so every reserved unit was used.
        await Task.WhenAll(Enumerable.Range(0, 32).Select(i => Task.Run(async () =>
        {
            AccessDenial? refused;
            while ((refused = await CallAsync(i % 2 == 0 ? a : b, caller)) is null)
            {
                Interlocked.Increment(ref allowed);
            }

            Assert.Equal("quota_exceeded", refused.Reason);
        })));

        Assert.Equal(10_000, allowed);
        Assert.Equal(10_000, await redis.QuotaUsedAsync(caller.PrincipalId));
        Assert.True(await redis.ScriptCallsAsync() - before < allowed / 4, "units are reserved in chunks");
    }

    [Fact]
    public async Task TwoReplicas_TogetherNeverExceedTheRate()
    {
        const double rate = 1000;
        const int burst = 2000;
        await using var a = await StartAsync();
        await using var b = await StartAsync();
        var caller = NewCaller(new CallerPlan("rate", rate, burst, 0, 0, [], 0));
        var reasons = new ConcurrentBag<string>();
        var allowed = 0;

        var window = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, 16).Select(i => Task.Run(async () =>
        {
            while (window.Elapsed < TimeSpan.FromSeconds(1.5))
            {
                if (await CallAsync(i % 2 == 0 ? a : b, caller, "tools/list") is { } refused)
                {
                    reasons.Add(refused.Reason);
                }
                else
                {
                    Interlocked.Increment(ref allowed);
                }
            }
        })));
        var elapsed = window.Elapsed;

        // GCRA: at most the burst plus one permit per 1/rate over the window in which the calls were decided (+1 for
        // its edges), however the permits were reserved and wherever they were used.
        Assert.InRange(allowed, 1, burst + (int)Math.Ceiling(rate * elapsed.TotalSeconds) + 1);
        Assert.NotEmpty(reasons);
        Assert.All(reasons, reason => Assert.Equal("rate_limited", reason));
    }

    [Fact]
    public async Task UnusedUnits_AreGivenBack_WhenIdle_AndAtShutdown()
    {
        var idle = NewCaller(Bench);
        var stopped = NewCaller(Bench);
        await using (var gateway = await StartAsync())
        {
            for (var i = 0; i < 300; i++)
            {
                Assert.Null(await CallAsync(gateway, idle));
                Assert.Null(await CallAsync(gateway, stopped));
            }

            Assert.True(await redis.QuotaUsedAsync(idle.PrincipalId) > 300, "units are reserved ahead of the calls");
            await Eventually.UntilAsync(async () => await redis.QuotaUsedAsync(idle.PrincipalId) == 300, "the idle subject's unused units given back");
            Assert.Null(await CallAsync(gateway, stopped));
        }

        Assert.Equal(301, await redis.QuotaUsedAsync(stopped.PrincipalId));
    }

    [Fact]
    public async Task ChangedPlan_AppliesFromTheNextCall_WhateverTheOldAllotmentHolds()
    {
        await using var gateway = await StartAsync();
        var caller = NewCaller(Bench);
        for (var i = 0; i < 100; i++)
        {
            Assert.Null(await CallAsync(gateway, caller));
        }

        var strict = caller with { Plan = new CallerPlan("strict", 0.01, 1, 0, 50, [], 0) };

        Assert.Equal("quota_exceeded", (await CallAsync(gateway, strict))?.Reason);
        Assert.Null(await CallAsync(gateway, strict, "tools/list"));
        Assert.Equal("rate_limited", (await CallAsync(gateway, strict, "tools/list"))?.Reason);
    }

    [Fact]
    public async Task RedisUnreachable_CallsGoOn_AsWithoutAllotments()
    {
        var address = redis.ConnectionString.Split(',')[0];
        await using var relay = new TcpRelay(new Uri($"tcp://{address}"));
        await using var gateway = await StartAsync(redisAddress: $"127.0.0.1:{relay.Address.Port}{redis.ConnectionString[address.Length..]}");
        var busy = NewCaller(Bench);
        Assert.Null(await CallAsync(gateway, busy));

        relay.Cut();

        Assert.Null(await CallAsync(gateway, NewCaller(Bench)));
        Assert.Null(await CallAsync(gateway, NewCaller(new CallerPlan("small", 0.01, 1, 0, 1, [], 0))));
        Assert.Null(await CallAsync(gateway, busy));
    }

    private static Caller NewCaller(CallerPlan plan) => new($"{Guid.NewGuid()}", "tenant", $"{Guid.NewGuid()}", plan, []);

    private static ValueTask<AccessDenial?> CallAsync(GatewayHost gateway, Caller caller, string method = "tools/call") =>
        gateway.Services.GetRequiredService<ICallPolicy>().AuthorizeAsync(caller, "echo", method, method == "tools/call" ? "echo" : null, CancellationToken.None);

    // The first call of a fresh Redis loads the script (EVALSHA refused, then EVAL): counts start after one.
    private async Task<long> ScriptCallsAfterWarmUpAsync(GatewayHost gateway)
    {
        Assert.Null(await CallAsync(gateway, NewCaller(new CallerPlan("warm-up", 0.01, 1, 0, 1, [], 0))));
        return await redis.ScriptCallsAsync();
    }

    private Task<GatewayHost> StartAsync(Dictionary<string, string?>? settings = null, string? redisAddress = null) =>
        GatewayHost.StartAsync(null, redisAddress ?? redis.ConnectionString, settings);
}
