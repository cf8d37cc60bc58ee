using System.Text.Json;
using Google.Protobuf;
using Grpc.Core;
using McpPlatform.Contracts.Common.V1;
using McpPlatform.Contracts.Dispatch.V1;
using McpPlatform.Contracts.Worker.V1;
using WorkerClient = McpPlatform.Contracts.Worker.V1.Worker.WorkerClient;

namespace McpPlatform.Worker.Host.Tests.Infrastructure;

/// <summary>Calls through the dispatcher's Relay and straight on the worker's Execute, and what their answers hold.</summary>
internal static class GrpcCalls
{
    public static RelayRequest Relay(string tenant, object id, string tool, object? arguments = null, string server = "echo") => new()
    {
        Route = new Route { Server = server, TenantId = tenant, PrincipalId = "user-" + tenant, SessionId = "session-" + tenant, ProtocolVersion = "2025-06-18", PlanId = "pro" },
        Message = ByteString.CopyFrom(TestPool.Call(id, tool, arguments)),
        Method = "tools/call",
        Tool = tool,
    };

    public static ExecuteRequest Execute(string lease, string tenant, object id, string tool, object? arguments = null, string server = "echo") => new()
    {
        LeaseId = lease,
        Route = new Route { Server = server, TenantId = tenant },
        Message = ByteString.CopyFrom(TestPool.Call(id, tool, arguments)),
    };

    public static async Task<List<RelayEvent>> RelayAsync(Dispatch.DispatchClient dispatch, RelayRequest request, int timeoutSeconds = 60)
    {
        using var call = dispatch.Relay(request, deadline: DateTime.UtcNow.AddSeconds(timeoutSeconds));
        var events = new List<RelayEvent>();
        await foreach (var item in call.ResponseStream.ReadAllAsync())
        {
            events.Add(item);
        }

        return events;
    }

    public static async Task<List<ExecuteEvent>> ExecuteAsync(WorkerClient worker, ExecuteRequest request, int timeoutSeconds = 60)
    {
        using var call = worker.Execute(request, deadline: DateTime.UtcNow.AddSeconds(timeoutSeconds));
        var events = new List<ExecuteEvent>();
        await foreach (var item in call.ResponseStream.ReadAllAsync())
        {
            events.Add(item);
        }

        return events;
    }

    /// <summary>
    /// Relays until a worker's registration reached the dispatcher (a worker is ready before it registers): NOT_FOUND,
    /// NO_WORKER and an unreachable dispatcher are the only answers that mean "not registered yet".
    /// </summary>
    public static async Task<RelayResult> RelayWhenRegisteredAsync(Dispatch.DispatchClient dispatch, RelayRequest request, int seconds = 30)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        var limit = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            try
            {
                var last = (await RelayAsync(dispatch, request))[^1];
                if (last.EventCase == RelayEvent.EventOneofCase.Result)
                {
                    return last.Result;
                }

                Assert.Equal(Busy.Types.Reason.NoWorker, last.Busy.Reason);
            }
            catch (RpcException ex) when (ex.StatusCode is StatusCode.NotFound or StatusCode.Unavailable)
            {
            }

            Assert.True(DateTime.UtcNow < limit, $"No worker answered through the dispatcher within {seconds} s.");
            await timer.WaitForNextTickAsync();
        }
    }

    /// <summary>The text of a tools/call result's first content block; fails the test on a JSON-RPC error.</summary>
    public static string Text(ByteString message)
    {
        using var document = JsonDocument.Parse(message.Memory);
        Assert.False(document.RootElement.TryGetProperty("error", out var error), "expected a result, got " + message.ToStringUtf8());
        return document.RootElement.GetProperty("result").GetProperty("content")[0].GetProperty("text").GetString()!;
    }

    /// <summary><c>error.code</c> and <c>error.data.reason</c> of a JSON-RPC error response.</summary>
    public static (int Code, string? Reason) Error(ByteString message)
    {
        using var document = JsonDocument.Parse(message.Memory);
        Assert.True(document.RootElement.TryGetProperty("error", out var error), "expected an error, got " + message.ToStringUtf8());
        var reason = error.TryGetProperty("data", out var data) && data.TryGetProperty("reason", out var r) ? r.GetString() : null;
        return (error.GetProperty("code").GetInt32(), reason);
    }

    /// <summary>The echo sample's process id, from its <c>whoami</c> tool's answer.</summary>
    public static int Pid(ByteString message)
    {
        using var who = JsonDocument.Parse(Text(message));
        return who.RootElement.GetProperty("pid").GetInt32();
    }

    /// <summary>Sends SIGTERM, what an orchestrator's stop does.</summary>
    public static void Terminate(int pid)
    {
        using var kill = System.Diagnostics.Process.Start("kill", ["-TERM", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
    }
}
