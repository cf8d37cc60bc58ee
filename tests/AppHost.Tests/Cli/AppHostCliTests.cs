using System.Text.Json;
using McpPlatform.AppHost.Tests.Infrastructure;
using McpPlatform.TestSupport;
using McpPlatform.Hosting.Testing;
using Npgsql;
using Xunit.Abstractions;

namespace McpPlatform.AppHost.Tests.Cli;

/// <summary>The whole platform as a developer starts it: every resource ready, a clean stop, data kept.</summary>
public sealed class AppHostCliTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(4);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(90);
    private static readonly string[] Services = ["access-api", "identity", "dispatcher", "worker-host", "gateway-edge"];

    private readonly string _state = DistributedApplicationTestingBuilder.NewStateDirectory();

    [Fact]
    public async Task FreshStartThenRestart_AllReady_NoProcessLeft_DataKept()
    {
        using var http = new HttpClient();
        string firstKey;

        await using (var appHost = AppHostProcess.Start(_state, output))
        {
            var state = await appHost.WaitForStateAsync("ready", StartTimeout);
            foreach (var name in new[] { "postgres", "redis", "accessdb", "identitydb" }.Concat(Services))
            {
                Assert.Equal("ready", Resource(state, name).GetProperty("state").GetString());
            }
            foreach (var service in Services)
            {
                var url = Resource(state, service).GetProperty("endpoints").GetProperty("http")[0].GetString();
                using var ready = await http.GetAsync($"{url}/health/ready");
                Assert.Equal(System.Net.HttpStatusCode.OK, ready.StatusCode);
            }
            foreach (var service in new[] { "access-api", "dispatcher" })
            {
                // Services that reference Redis are ready only with it.
                var url = new Uri(Resource(state, service).GetProperty("endpoints").GetProperty("http")[0].GetString()!);
                await ServiceAssertions.ReadinessCheckIsAsync(url, "redis", "Healthy");
            }
            firstKey = state.GetProperty("credentials").GetProperty("apiKey").GetString()!;
            Assert.StartsWith("sk_test_", firstKey, StringComparison.Ordinal);
            await appHost.WaitForOutputAsync("\"mcpServers\"", TimeSpan.FromSeconds(30));

            await using (var connection = new NpgsqlConnection(Resource(state, "accessdb").GetProperty("connectionString").GetString()))
            {
                await connection.OpenAsync();
                await using var create = new NpgsqlCommand("CREATE TABLE apphost_marker (value text); INSERT INTO apphost_marker VALUES ('kept')", connection);
                await create.ExecuteNonQueryAsync();
            }
            NpgsqlConnection.ClearAllPools();

            var pids = AllPids(state);
            Assert.Equal(7, pids.Count); // postgres, redis and five services
            Assert.Equal(0, await appHost.StopAsync(StopTimeout));
            Assert.Empty(ProcessTable.Survivors(pids));
            Assert.Equal("stopped", JsonDocument.Parse(File.ReadAllText(appHost.StateFile)).RootElement.GetProperty("state").GetString());
        }

        await using (var appHost = AppHostProcess.Start(_state, output))
        {
            var state = await appHost.WaitForStateAsync("ready", StartTimeout);
            Assert.Equal(firstKey, state.GetProperty("credentials").GetProperty("apiKey").GetString());
            await using (var connection = new NpgsqlConnection(Resource(state, "accessdb").GetProperty("connectionString").GetString()))
            {
                await connection.OpenAsync();
                await using var read = new NpgsqlCommand("SELECT value FROM apphost_marker", connection);
                Assert.Equal("kept", await read.ExecuteScalarAsync());
            }
            NpgsqlConnection.ClearAllPools();
            var pids = AllPids(state);
            Assert.Equal(0, await appHost.StopAsync(StopTimeout));
            Assert.Empty(ProcessTable.Survivors(pids));
        }
    }

    [Fact]
    public async Task WithoutRedisServer_RunsSingleNode()
    {
        // A PATH with the tools AppHost needs but no redis-server and no container client.
        var bin = Path.Combine(_state, "bin");
        Directory.CreateDirectory(bin);
        foreach (var tool in new[] { "dotnet", "setsid", "setpriv", "chown" })
        {
            var target = McpPlatform.Processes.ExecutableSearch.Find(tool);
            Assert.NotNull(target);
            File.CreateSymbolicLink(Path.Combine(bin, tool), target!);
        }

        await using var appHost = AppHostProcess.Start(_state, output, new Dictionary<string, string> { ["PATH"] = bin });
        var state = await appHost.WaitForStateAsync("ready", StartTimeout);

        Assert.Equal("absent", Resource(state, "redis").GetProperty("state").GetString());
        Assert.Equal(JsonValueKind.Null, Resource(state, "redis").GetProperty("connectionString").ValueKind);
        foreach (var service in Services)
        {
            Assert.Equal("ready", Resource(state, service).GetProperty("state").GetString());
        }
        await appHost.WaitForOutputAsync("McpPlatform is ready", TimeSpan.FromSeconds(30));
        Assert.Single(appHost.Output.Split('\n'), line => line.Contains("runs single-node", StringComparison.Ordinal));
        Assert.Contains("running in single-node mode", File.ReadAllText(Path.Combine(_state, "logs", "dispatcher.log")), StringComparison.Ordinal);

        var pids = AllPids(state);
        Assert.Equal(0, await appHost.StopAsync(StopTimeout));
        Assert.Empty(ProcessTable.Survivors(pids));
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_state, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static JsonElement Resource(JsonElement state, string name) => state.GetProperty("resources").GetProperty(name);

    private static List<int> AllPids(JsonElement state) =>
        state.GetProperty("resources").EnumerateObject()
            .SelectMany(r => r.Value.GetProperty("pids").EnumerateArray().Select(p => p.GetInt32()))
            .ToList();
}
