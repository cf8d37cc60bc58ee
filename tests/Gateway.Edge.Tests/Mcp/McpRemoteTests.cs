using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using McpPlatform.Hosting;
using Xunit;

namespace McpPlatform.Gateway.Edge.Tests.Mcp;

/// <summary>
/// <c>mcp-remote</c> (npm, the stdio bridge Claude Desktop and other local-only clients use) against the gateway with
/// an API key header: the test is the local client, writing JSON-RPC lines to its stdin and reading its stdout.
/// </summary>
[Collection(McpPlatformCollection.Name)]
public sealed class McpRemoteTests(McpPlatformFixture platform)
{
    [Theory(Timeout = 120_000)]
    [InlineData("/mcp/echo", "http-first", "text", "echo", "through mcp-remote", "through mcp-remote")]
    [InlineData("/sse/echo", "sse-only", "text", "echo", "over the legacy transport", "over the legacy transport")]
    // Session isolation over SSE: killing mcp-remote closes the stream, which ends the session (over Streamable
    // HTTP mcp-remote never sends DELETE, so a session-isolation slot would stay leased until its idle timeout).
    [InlineData("/sse/everything", "sse-only", "message", "echo", "to everything", "Echo: to everything")]
    public async Task McpRemoteWithApiKeyHeader_ListsAndCallsTools(string path, string transport, string argument, string tool, string text, string expected)
    {
        await using var remote = McpRemote.Start(new Uri(platform.Gateway, path), transport, "Authorization: Bearer " + McpPlatformFixture.ApiKey);

        var initialize = await remote.RequestAsync(1, "initialize", new JsonObject
        {
            ["protocolVersion"] = "2025-06-18",
            ["capabilities"] = new JsonObject(),
            ["clientInfo"] = new JsonObject { ["name"] = "gateway-edge-tests", ["version"] = "1" },
        });
        await remote.NotifyAsync("notifications/initialized");
        var tools = await remote.RequestAsync(2, "tools/list", new JsonObject());
        var call = await remote.RequestAsync(3, "tools/call", new JsonObject { ["name"] = tool, ["arguments"] = new JsonObject { [argument] = text } });

        Assert.NotNull(initialize["result"]?["serverInfo"]);
        Assert.Contains(tools["result"]!["tools"]!.AsArray(), t => (string?)t!["name"] == tool);
        Assert.Equal(expected, (string?)call["result"]!["content"]![0]!["text"]);
    }

    /// <summary>One mcp-remote process; killed with its children on dispose.</summary>
    private sealed class McpRemote : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly string _config;
        private readonly Task<string> _errors;

        private McpRemote(Process process, string config)
        {
            _process = process;
            _config = config;
            _errors = process.StandardError.ReadToEndAsync();
        }

        public static McpRemote Start(Uri url, string transport, string header)
        {
            var node = Path.Combine(DistributedApplicationBuilder.FindRepositoryRoot(AppContext.BaseDirectory), "tests", "Gateway.Edge.Tests", "node");
            // Its OAuth state goes to a folder of its own, not the user's ~/.mcp-auth.
            var config = Directory.CreateTempSubdirectory("mcp-remote-").FullName;
            var info = new ProcessStartInfo("node") { WorkingDirectory = node, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            info.Environment["MCP_REMOTE_CONFIG_DIR"] = config;
            // The URL, the OAuth callback port (free, never used with a key), the key header, the transport; plain HTTP on loopback.
            foreach (var argument in new[] { "node_modules/mcp-remote/dist/proxy.js", url.ToString(), FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture), "--header", header, "--transport", transport, "--allow-http" })
            {
                info.ArgumentList.Add(argument);
            }

            return new McpRemote(Process.Start(info) ?? throw new InvalidOperationException("node did not start"), config);
        }

        public Task NotifyAsync(string method) => WriteAsync(new JsonObject { ["jsonrpc"] = "2.0", ["method"] = method });

        /// <summary>Sends a request and returns the response with its id (other lines, e.g. notifications, are skipped).</summary>
        public async Task<JsonObject> RequestAsync(int id, string method, JsonObject parameters)
        {
            await WriteAsync(new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id, ["method"] = method, ["params"] = parameters });
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            while (true)
            {
                string? line;
                try
                {
                    line = await _process.StandardOutput.ReadLineAsync(timeout.Token);
                }
                catch (OperationCanceledException)
                {
                    line = null;
                }

                if (line is null)
                {
                    _process.Kill(entireProcessTree: true);
                    throw new InvalidOperationException($"mcp-remote gave no response to {method}: {await _errors}");
                }

                if (Parse(line) is { } message && message["id"] is JsonValue value && value.TryGetValue<int>(out var got) && got == id)
                {
                    return message;
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            await _process.WaitForExitAsync();
            _process.Dispose();
            Directory.Delete(_config, recursive: true);
        }

        private async Task WriteAsync(JsonObject message)
        {
            await _process.StandardInput.WriteLineAsync(message.ToJsonString());
            await _process.StandardInput.FlushAsync();
        }

        private static JsonObject? Parse(string line)
        {
            try
            {
                return JsonNode.Parse(line) as JsonObject;
            }
            catch (System.Text.Json.JsonException)
            {
                return null;
            }
        }

        private static int FreePort()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
    }
}
