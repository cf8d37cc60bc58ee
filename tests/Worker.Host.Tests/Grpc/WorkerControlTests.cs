using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Net.Client;
using McpPlatform.Contracts.Dispatch.V1;
using McpPlatform.Contracts.Worker.V1;
using McpPlatform.TestSupport;
using McpPlatform.Worker.Host.Tests.Infrastructure;
using Xunit.Abstractions;
using WorkerClient = McpPlatform.Contracts.Worker.V1.Worker.WorkerClient;

namespace McpPlatform.Worker.Host.Tests.Grpc;

/// <summary>
/// The Worker service's control calls over real gRPC on a real Worker.Host with the echo sample (one slot, so "the slot
/// came back" is observable): Cancel, Drain, and a server process that exits mid-call, seen through the dispatcher.
/// </summary>
public sealed class WorkerControlTests(ITestOutputHelper output)
{
    private static readonly (string, string) OneSlot = ("Worker__Servers__echo__MaxSlots", "1");

    [Fact(Timeout = 90_000)]
    public async Task Cancel_InFlightCall_AnswersCancelledAndTheSlotServesTheNextCall()
    {
        var pids = new List<int>();
        await using (var worker = await Services.WorkerAsync(output, "worker-cancel", dispatcher: null, OneSlot))
        {
            using var channel = GrpcChannel.ForAddress(worker.Grpc("worker-host"));
            var client = new WorkerClient(channel);
            pids.Add(GrpcCalls.Pid(Assert.Single(await GrpcCalls.ExecuteAsync(client, GrpcCalls.Execute("lease-warm", "tenant-a", 1, "whoami"))).Result));

            var sleeping = GrpcCalls.ExecuteAsync(client, GrpcCalls.Execute("lease-cancel", "tenant-a", 5, "sleep", new { ms = 120_000 }));
            var cancel = new CancelRequest { LeaseId = "lease-cancel", RequestId = ByteString.CopyFromUtf8("5"), Reason = "the test cancels" };
            Assert.True(await PollAsync(async () => (await client.CancelAsync(cancel, deadline: DateTime.UtcNow.AddSeconds(10))).Cancelled, TimeSpan.FromSeconds(30)),
                "Cancel never found the sleeping call on its lease.");
            var answer = Assert.Single(await sleeping).Result;
            var unknown = await client.CancelAsync(new CancelRequest { LeaseId = "no-such-lease", RequestId = ByteString.CopyFromUtf8("5") });
            var next = Assert.Single(await GrpcCalls.ExecuteAsync(client, GrpcCalls.Execute("lease-next", "tenant-a", 6, "whoami"))).Result;
            pids.Add(GrpcCalls.Pid(next));

            Assert.Equal(-32800, GrpcCalls.Error(answer).Code);
            Assert.False(unknown.Cancelled);
            Assert.Equal(pids[0], pids[1]);
        }

        Assert.Empty(ProcessTable.Survivors(pids));
    }

    [Fact(Timeout = 90_000)]
    public async Task Drain_FinishesTheCallInFlight_ThenRefusesNewCalls()
    {
        var pids = new List<int>();
        await using (var worker = await Services.WorkerAsync(output, "worker-drain", dispatcher: null, OneSlot))
        {
            using var channel = GrpcChannel.ForAddress(worker.Grpc("worker-host"));
            var client = new WorkerClient(channel);
            using var http = worker.Http("worker-host");
            pids.Add(GrpcCalls.Pid(Assert.Single(await GrpcCalls.ExecuteAsync(client, GrpcCalls.Execute("lease-warm", "tenant-a", 1, "whoami"))).Result));

            var inFlight = GrpcCalls.ExecuteAsync(client, GrpcCalls.Execute("lease-drain", "tenant-a", 2, "sleep", new { ms = 1500 }));
            await Metrics.WaitForAsync(http, "mcp_worker_slots", "state=\"busy\"", 1, "the sleep call runs");
            var drained = await client.DrainAsync(new DrainRequest { GracePeriod = Duration.FromTimeSpan(TimeSpan.FromSeconds(30)) }, deadline: DateTime.UtcNow.AddSeconds(60));
            var finished = Assert.Single(await inFlight).Result;
            var refused = await Assert.ThrowsAsync<RpcException>(() => GrpcCalls.ExecuteAsync(client, GrpcCalls.Execute("lease-late", "tenant-a", 3, "echo", new { text = "late" })));

            Assert.Equal("slept 1500 ms", GrpcCalls.Text(finished));
            Assert.Equal(StatusCode.Unavailable, refused.StatusCode);
            Assert.Equal(1, drained.InFlight);
        }

        Assert.Empty(ProcessTable.Survivors(pids));
    }

    [Fact(Timeout = 120_000)]
    public async Task ProcessExitsMidCall_ThroughTheDispatcher_ThatCallFailsNamingTheReason_AndTheSlotComesBack()
    {
        var pids = new List<int>();
        await using var dispatcher = await Services.DispatcherAsync(output);
        await using (var worker = await Services.WorkerAsync(output, "worker-crash", dispatcher.Grpc("dispatcher"), OneSlot))
        {
            using var channel = GrpcChannel.ForAddress(dispatcher.Grpc("dispatcher"));
            var dispatch = new Dispatch.DispatchClient(channel);
            pids.Add(GrpcCalls.Pid((await GrpcCalls.RelayWhenRegisteredAsync(dispatch, GrpcCalls.Relay("tenant-a", 1, "whoami"))).Message));

            var crashed = Assert.Single(await GrpcCalls.RelayAsync(dispatch, GrpcCalls.Relay("tenant-a", 2, "crash"))).Result;
            var after = Assert.Single(await GrpcCalls.RelayAsync(dispatch, GrpcCalls.Relay("tenant-a", 3, "whoami"))).Result;
            pids.Add(GrpcCalls.Pid(after.Message));

            Assert.Equal((-32002, "process_exited"), GrpcCalls.Error(crashed.Message));
            Assert.Contains("\"id\":2", crashed.Message.ToStringUtf8(), StringComparison.Ordinal);
            Assert.NotEqual(pids[0], pids[1]);
            Assert.Equal("worker-crash", after.WorkerId);
        }

        Assert.Empty(ProcessTable.Survivors(pids));
    }

    private static async Task<bool> PollAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
        var limit = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > limit)
            {
                return false;
            }

            await timer.WaitForNextTickAsync();
        }

        return true;
    }
}
