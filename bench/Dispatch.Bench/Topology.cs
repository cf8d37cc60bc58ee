using System.Globalization;
using Grpc.Core;

namespace McpPlatform.Bench.Dispatch;

/// <summary>
/// The platform under measurement: Dispatcher.Grpc (lease state in a redis-server of its own, or in-process) and one
/// Worker.Host whose catalog runs the echo sample in <c>slots</c> warm slots.
/// </summary>
internal static class Topology
{
    public static async Task<Uri> StartAsync(Children children, int slots, int perSlot, bool redis)
    {
        var quiet = new Dictionary<string, string>
        {
            ["Logging__LogLevel__Default"] = "Warning",
            ["DOTNET_gcServer"] = "0",
        };
        var dispatcherPort = Children.FreePort();
        var dispatcherEnv = new Dictionary<string, string>(quiet)
        {
            ["Kestrel__Endpoints__http__Url"] = "http://127.0.0.1:0",
            ["Kestrel__Endpoints__grpc__Url"] = $"http://127.0.0.1:{dispatcherPort}",
            ["Kestrel__Endpoints__grpc__Protocols"] = "Http2",
            ["Dispatcher__QueueTimeout"] = "00:01:00",
        };
        if (redis)
        {
            var redisPort = Children.FreePort();
            await children.StartAsync("redis-server", ["--port", redisPort.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]);
            dispatcherEnv["ConnectionStrings__redis"] = $"127.0.0.1:{redisPort}";
        }

        await children.StartAsync("dotnet", [Children.Output("Dispatcher.Grpc", "Dispatcher.Grpc.dll")], dispatcherEnv);
        var dispatcher = new Uri($"http://127.0.0.1:{dispatcherPort}");
        var workerPort = Children.FreePort();
        var text = slots.ToString(CultureInfo.InvariantCulture);
        await children.StartAsync("dotnet", [Children.Output("Worker.Host", "Worker.Host.dll")], new Dictionary<string, string>(quiet)
        {
            ["Kestrel__Endpoints__http__Url"] = "http://127.0.0.1:0",
            ["Kestrel__Endpoints__grpc__Url"] = $"http://127.0.0.1:{workerPort}",
            ["Kestrel__Endpoints__grpc__Protocols"] = "Http2",
            ["Worker__Id"] = "bench-worker",
            ["Worker__WorkspaceRoot"] = Path.Combine(Path.GetTempPath(), "dispatch-bench-workspaces"),
            ["Worker__Servers__echo__Args__0"] = Children.Output("samples/EchoServer", "EchoServer.dll"),
            ["Worker__Servers__echo__MinSlots"] = text,
            ["Worker__Servers__echo__MaxSlots"] = text,
            ["Worker__Servers__echo__MaxConcurrentCallsPerSlot"] = perSlot.ToString(CultureInfo.InvariantCulture),
            ["services__dispatcher__grpc__0"] = dispatcher.ToString(),
        });

        using var client = new PlatformClient(dispatcher);
        var limit = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            try
            {
                await client.EchoAsync();
                return dispatcher;
            }
            catch (Exception ex) when (ex is RpcException or InvalidOperationException && DateTime.UtcNow < limit)
            {
                await Task.Delay(200);
            }
        }
    }
}
