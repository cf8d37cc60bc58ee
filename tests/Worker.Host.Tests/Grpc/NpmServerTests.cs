using System.Text.Json;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using McpPlatform.Contracts.Common.V1;
using McpPlatform.Contracts.Worker.V1;
using McpPlatform.TestSupport;
using McpPlatform.Worker.Host.Pool;
using McpPlatform.Worker.Host.Tests.Infrastructure;
using Xunit.Abstractions;
using WorkerClient = McpPlatform.Contracts.Worker.V1.Worker.WorkerClient;

namespace McpPlatform.Worker.Host.Tests.Grpc;

/// <summary>
/// The npm servers of the default catalog, run with node from the cache the build fills (.tools/npm-servers):
/// server-everything in session isolation through the worker's Session stream, server-memory in tenant isolation
/// with its memory file in each tenant's workspace.
/// </summary>
public sealed class NpmServerTests(ITestOutputHelper output)
{
    private static readonly string Cache = Path.Combine(RepoLocator.Resolve(string.Empty), ".tools", "npm-servers", "node_modules", "@modelcontextprotocol");

    [Fact(Timeout = 120_000)]
    public async Task Everything_InSessionIsolation_InitializesListsToolsAndCallsEcho()
    {
        AssertInstalled("server-everything");
        IReadOnlyList<int> servers;
        await using (var worker = await Services.WorkerAsync(output, "worker-everything", dispatcher: null))
        {
            using var channel = GrpcChannel.ForAddress(worker.Grpc("worker-host"));
            using var call = new WorkerClient(channel).Session(deadline: DateTime.UtcNow.AddSeconds(90));
            var route = new Route { Server = "everything", TenantId = "tenant-a", SessionId = "session-everything" };
            await call.RequestStream.WriteAsync(new WorkerSessionClientFrame { Open = new WorkerSessionOpen { LeaseId = "lease-everything", Route = route } });
            Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
            Assert.True(call.ResponseStream.Current.Opened);

            var initialize = await RequestAsync(call, 1, "initialize", new { protocolVersion = "2025-06-18", capabilities = new { }, clientInfo = new { name = "test", version = "1" } });
            await call.RequestStream.WriteAsync(new WorkerSessionClientFrame { Message = ByteString.CopyFromUtf8("""{"jsonrpc":"2.0","method":"notifications/initialized"}""") });
            var tools = await RequestAsync(call, 2, "tools/list", new { });
            var echo = await RequestAsync(call, 3, "tools/call", new { name = "echo", arguments = new { message = "hello everything" } });
            servers = ServerProcesses.Children(worker.Pid("worker-host"), "server-everything");
            await call.RequestStream.WriteAsync(new WorkerSessionClientFrame { CloseReason = "done" });
            await call.RequestStream.CompleteAsync();
            while (await call.ResponseStream.MoveNext(CancellationToken.None))
            {
            }

            Assert.True(initialize.GetProperty("result").TryGetProperty("serverInfo", out _));
            Assert.Contains(tools.GetProperty("result").GetProperty("tools").EnumerateArray(), tool => tool.GetProperty("name").GetString() == "echo");
            Assert.Equal("Echo: hello everything", echo.GetProperty("result").GetProperty("content")[0].GetProperty("text").GetString());
        }

        Assert.Single(servers);
        Assert.Empty(ProcessTable.Survivors([.. servers]));
    }

    [Fact(Timeout = 120_000)]
    public async Task Memory_InTenantIsolation_TwoTenantsNeverSeeEachOthersMemory()
    {
        AssertInstalled("server-memory");
        var root = Path.Combine(Path.GetTempPath(), "mcp-memory-tests", Guid.NewGuid().ToString("n"));
        IReadOnlyList<int> servers;
        try
        {
            await using (var worker = await Services.WorkerAsync(output, "worker-memory", dispatcher: null, ("Worker__WorkspaceRoot", root)))
            {
                using var channel = GrpcChannel.ForAddress(worker.Grpc("worker-host"));
                var client = new WorkerClient(channel);
                async Task<string> CallAsync(string tenant, int id, string tool, object arguments) =>
                    Assert.Single(await GrpcCalls.ExecuteAsync(client, GrpcCalls.Execute("lease-" + tenant, tenant, id, tool, arguments, server: "memory"))).Result.ToStringUtf8();

                await CallAsync("tenant-a", 1, "create_entities", new { entities = new[] { new { name = "alpha-secret", entityType = "note", observations = new[] { "only a" } } } });
                await CallAsync("tenant-b", 2, "create_entities", new { entities = new[] { new { name = "beta-secret", entityType = "note", observations = new[] { "only b" } } } });
                var graphA = await CallAsync("tenant-a", 3, "read_graph", new { });
                var graphB = await CallAsync("tenant-b", 4, "read_graph", new { });
                servers = ServerProcesses.Children(worker.Pid("worker-host"), "server-memory");

                Assert.Contains("alpha-secret", graphA, StringComparison.Ordinal);
                Assert.DoesNotContain("beta-secret", graphA, StringComparison.Ordinal);
                Assert.Contains("beta-secret", graphB, StringComparison.Ordinal);
                Assert.DoesNotContain("alpha-secret", graphB, StringComparison.Ordinal);
            }

            var files = Directory.GetFiles(root, "memory.jsonl", SearchOption.AllDirectories);
            Assert.Equal(2, files.Length);
            Assert.Single(files, file => File.ReadAllText(file).Contains("alpha-secret", StringComparison.Ordinal));
            Assert.Single(files, file => File.ReadAllText(file).Contains("beta-secret", StringComparison.Ordinal));
            Assert.Equal(2, servers.Count);
            Assert.Empty(ProcessTable.Survivors([.. servers]));
        }
        finally
        {
            if (Directory.Exists(root))
            {
                Directory.Delete(root, recursive: true);
            }
        }
    }

    private static void AssertInstalled(string package) =>
        Assert.True(File.Exists(Path.Combine(Cache, package, "dist", "index.js")),
            $"@modelcontextprotocol/{package} is not in .tools/npm-servers: build Worker.Host with node and npm present (Worker.Host/NpmServers/install.sh).");

    /// <summary>Sends a request on the session and returns its response, skipping the server's own messages in between.</summary>
    private static async Task<JsonElement> RequestAsync(AsyncDuplexStreamingCall<WorkerSessionClientFrame, WorkerSessionServerFrame> call, int id, string method, object parameters)
    {
        var message = JsonSerializer.SerializeToUtf8Bytes(new { jsonrpc = "2.0", id, method, @params = parameters });
        await call.RequestStream.WriteAsync(new WorkerSessionClientFrame { Message = ByteString.CopyFrom(message) });
        while (await call.ResponseStream.MoveNext(CancellationToken.None))
        {
            var frame = call.ResponseStream.Current;
            Assert.True(frame.FrameCase == WorkerSessionServerFrame.FrameOneofCase.Message, $"expected a message, got {frame}");
            using var document = JsonDocument.Parse(frame.Message.Memory);
            if (document.RootElement.TryGetProperty("id", out var got) && got.ValueKind == JsonValueKind.Number && got.GetInt32() == id
                && !document.RootElement.TryGetProperty("method", out _))
            {
                return document.RootElement.Clone();
            }
        }

        throw new Xunit.Sdk.XunitException($"the session ended before the answer to {method}");
    }
}
