using McpPlatform.EchoServer;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

// A small stdio MCP server that Worker.Host's default catalog runs and its tests drive:
// every tool here exists to make one pool behaviour observable (isolation, hangs, crashes, progress).
var options = new McpServerOptions
{
    ServerInfo = new Implementation { Name = "mcp-platform-echo", Version = "1.0.0" },
    Capabilities = new ServerCapabilities { Tools = new ToolsCapability { ListChanged = true } },
    Handlers = new McpServerHandlers
    {
        ListToolsHandler = EchoTools.ListAsync,
        CallToolHandler = EchoTools.CallAsync,
    },
};

await using var transport = new StdioServerTransport("mcp-platform-echo");
await using var server = McpServer.Create(transport, options);
await server.RunAsync();
