using McpPlatform.Contracts.Dispatch.V1;
using McpPlatform.Dispatcher.Grpc.Leases;
using McpPlatform.Dispatcher.Grpc.Tests.Infrastructure;
using McpPlatform.Redis;
using Xunit.Abstractions;

namespace McpPlatform.Dispatcher.Grpc.Tests.Leases;

/// <summary>The lease bank of relayed calls, with two dispatcher replicas on one real Redis where it matters.</summary>
public sealed class LeaseBankTests(ITestOutputHelper output)
{
    [Fact]
    public async Task TwoReplicasUnderLoad_NeverExceedTheSlotsOrThePlanTogether()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var one = await DispatcherUnderTest.StartAsync(redis.ConnectionString);
        await using var two = await DispatcherUnderTest.StartAsync(redis.ConnectionString);
        await using var slots = await TestWorker.StartAsync(one.Address, "worker-1", slots: 3);
        await using var plans = await TestWorker.StartAsync(one.Address, "worker-2", server: "other", slots: 8);
        await DispatcherUnderTest.EventuallyAsync(() => two.Pool.Find("worker-1") is not null && two.Pool.Find("worker-2") is not null, "the second dispatcher sees the workers");
        var planRoute = Calls.Route(server: "other", tenant: "acme", planMax: 5);

        var results = await Task.WhenAll(Enumerable.Range(0, 24).Select(caller => CallerAsync(caller % 2 == 0 ? one : two, caller)));

        Assert.All(results.SelectMany(events => events), item => Assert.NotNull(item.Result));
        Assert.Equal(1, slots.Service.MaxInFlightPerSlot);
        Assert.InRange(slots.Service.MaxInFlight, 1, 3);
        Assert.InRange(plans.Service.MaxInFlight, 1, 5);

        async Task<List<RelayEvent>> CallerAsync(DispatcherUnderTest dispatcher, int caller)
        {
            var events = new List<RelayEvent>();
            for (var i = 0; i < 10; i++)
            {
                events.AddRange(await Calls.RelayAsync(dispatcher.Dispatch, Calls.Tool(Calls.Route(tenant: "t" + caller), caller * 100 + i, "sleep", ms: 2)));
                var plan = await Calls.RelayAsync(dispatcher.Dispatch, Calls.Tool(planRoute, caller * 100 + 50 + i, "sleep", ms: 2));
                events.AddRange(plan.Where(item => item.Busy?.Reason != Contracts.Common.V1.Busy.Types.Reason.PlanConcurrency));
            }

            return events;
        }
    }

    [Fact]
    public async Task ReplicaThatStopsRenewing_LosesItsPlacesAfterTheTtl_AndTheOtherReplicaGetsThem()
    {
        await using var redis = await RedisServer.StartAsync();
        var settings = new Dictionary<string, string?> { ["Dispatcher:LeaseTtl"] = "00:00:01" };
        await using var doomed = await DispatcherUnderTest.StartAsync(redis.ConnectionString, settings: settings);
        await using var survivor = await DispatcherUnderTest.StartAsync(redis.ConnectionString, settings: settings);
        await using var worker = await TestWorker.StartAsync(survivor.Address, "worker-1", slots: 2);
        await DispatcherUnderTest.EventuallyAsync(() => doomed.Pool.Find("worker-1") is not null, "the first dispatcher sees the worker");
        var held = Enumerable.Range(1, 2).Select(id => Calls.RelayAsync(doomed.Dispatch, Calls.Tool(Calls.Route(), id, "gate"))).ToList();
        await DispatcherUnderTest.EventuallyAsync(() => worker.Service.Started.Count == 2, "the first dispatcher's calls hold both slots");
        Assert.Equal(2, doomed.Service<LeaseBank>().Held);

        await doomed.Service<LeaseBankKeeper>().StopAsync(CancellationToken.None);
        var after = await Calls.RelayAsync(survivor.Dispatch, Calls.Tool(Calls.Route(), 3, "echo"));

        Assert.Equal("worker-1", Assert.Single(after).Result.WorkerId);
        worker.Service.Gate.Release(2);
        await Task.WhenAll(held);
    }

    [Fact]
    public async Task SurplusOfABurst_FlowsBackToRedis_SoTheOtherReplicaGetsTheCapacity()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var one = await DispatcherUnderTest.StartAsync(redis.ConnectionString);
        await using var two = await DispatcherUnderTest.StartAsync(redis.ConnectionString);
        await using var worker = await TestWorker.StartAsync(one.Address, "worker-1", slots: 4);
        await DispatcherUnderTest.EventuallyAsync(() => two.Pool.Find("worker-1") is not null, "the second dispatcher sees the worker");
        await Task.WhenAll(Enumerable.Range(1, 4).Select(id => Calls.RelayAsync(one.Dispatch, Calls.Tool(Calls.Route(), id, "sleep", ms: 50))));
        var banked = one.Service<LeaseBank>().Held;

        var gated = Enumerable.Range(5, 4).Select(id => Calls.RelayAsync(two.Dispatch, Calls.Tool(Calls.Route(), id, "gate"))).ToList();
        await DispatcherUnderTest.EventuallyAsync(() => worker.Service.Started.Count == 8, "the second dispatcher's calls all run");
        var heldByOne = one.Service<LeaseBank>().Held;
        worker.Service.Gate.Release(4);
        await Task.WhenAll(gated);

        Assert.InRange(banked, 1, 4);
        Assert.Equal(0, heldByOne);
        Assert.Equal(1, worker.Service.MaxInFlightPerSlot);
    }

    [Fact]
    public async Task SmallPlan_ItsPlaceIsBackInRedisWhenTheCallEnds_SoTheTenantsNextCallMayUseTheOtherReplica()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var one = await DispatcherUnderTest.StartAsync(redis.ConnectionString);
        await using var two = await DispatcherUnderTest.StartAsync(redis.ConnectionString);
        await using var worker = await TestWorker.StartAsync(one.Address, "worker-1", slots: 2);
        await DispatcherUnderTest.EventuallyAsync(() => two.Pool.Find("worker-1") is not null, "the second dispatcher sees the worker");
        var route = Calls.Route(tenant: "acme", planMax: 1);

        var results = new List<RelayEvent>();
        for (var id = 1; id <= 6; id++)
        {
            results.Add(Assert.Single(await Calls.RelayAsync((id % 2 == 0 ? two : one).Dispatch, Calls.Tool(route, id, "echo"))));
        }

        Assert.All(results, item => Assert.NotNull(item.Result));
        Assert.Equal(0, await one.Service<ISlotLeaseStore>().CountAsync("plan|pro|acme", CancellationToken.None));
    }

    [Fact]
    public async Task LostWorker_ItsPlacesLeaveTheBank()
    {
        await using var dispatcher = await DispatcherUnderTest.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Dispatcher:HeartbeatInterval"] = "00:00:00.250",
            ["Dispatcher:MissedHeartbeats"] = "4",
            ["Dispatcher:LeaseBank:IdleReturn"] = "00:00:10",
        });
        await using var worker = await TestWorker.StartAsync(dispatcher.Address, "worker-1", slots: 3);
        await Task.WhenAll(Enumerable.Range(1, 3).Select(id => Calls.RelayAsync(dispatcher.Dispatch, Calls.Tool(Calls.Route(), id, "sleep", ms: 20))));
        var banked = dispatcher.Service<LeaseBank>().Held;

        await worker.StopHeartbeatsAsync();
        await DispatcherUnderTest.EventuallyAsync(() => dispatcher.Pool.Find("worker-1") is null, "the silent worker is removed");

        Assert.InRange(banked, 1, 3);
        Assert.Equal(0, dispatcher.Service<LeaseBank>().Held);
    }

    [Fact]
    public async Task SteadyLoad_OfOneReplica_CostsFewRedisCommandsPerThousandCalls()
    {
        await using var redis = await RedisServer.StartAsync();
        var banked = await LeaseCommandsPerThousandCallsAsync(redis, bank: true);
        var unbanked = await LeaseCommandsPerThousandCallsAsync(redis, bank: false);
        output.WriteLine($"lease commands per 1,000 relayed calls (64 callers): bank {banked}, no bank {unbanked}");

        Assert.InRange(banked, 0, 20);
        Assert.True(unbanked >= 1000, $"without the bank every call runs the lease script ({unbanked})");
    }

    // EVALSHA/EVAL/ZREM on the lease sets while 64 callers relay 1,000 echo calls after a warm-up (the registry's
    // traffic is measured the same way, so it is subtracted by counting only what the relayed calls add).
    private static async Task<long> LeaseCommandsPerThousandCallsAsync(RedisServer redis, bool bank)
    {
        await using var dispatcher = await DispatcherUnderTest.StartAsync(redis.ConnectionString, keyPrefix: bank ? "bank:" : "nobank:", settings: new Dictionary<string, string?>
        {
            ["Dispatcher:LeaseBank:Enabled"] = bank ? "true" : "false",
            ["Dispatcher:RegistryRefreshInterval"] = "00:01:00",
            ["Dispatcher:HeartbeatInterval"] = "00:00:30",
            ["Dispatcher:LeaseBank:MaxBlock"] = "64",
        });
        await using var worker = await TestWorker.StartAsync(dispatcher.Address, "worker-" + bank, slots: 64);
        await using var client = await RedisMultiplexer.ConnectAsync(redis.ConnectionString);
        var db = client.GetDatabase();
        await RunAsync(dispatcher, 64 * 4);
        await db.ExecuteAsync("CONFIG", "RESETSTAT");
        await RunAsync(dispatcher, 1000);
        return LeaseCommands((await db.ExecuteAsync("INFO", "commandstats")).ToStringOrNull() ?? "");
    }

    private static Task RunAsync(DispatcherUnderTest dispatcher, int calls)
    {
        var next = 0;
        return Task.WhenAll(Enumerable.Range(0, 64).Select(async _ =>
        {
            while (Interlocked.Increment(ref next) is var id && id <= calls)
            {
                Assert.NotNull(Assert.Single(await Calls.RelayAsync(dispatcher.Dispatch, Calls.Tool(Calls.Route(), id, "echo"))).Result);
            }
        }));
    }

    private static long LeaseCommands(string commandStats) => commandStats.Split('\n')
        .Where(line => line.StartsWith("cmdstat_evalsha:", StringComparison.Ordinal) || line.StartsWith("cmdstat_eval:", StringComparison.Ordinal) || line.StartsWith("cmdstat_zrem:", StringComparison.Ordinal))
        .Sum(line => long.Parse(line.Split("calls=")[1].Split(',')[0], System.Globalization.CultureInfo.InvariantCulture));
}
