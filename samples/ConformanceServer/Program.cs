using McpPlatform.ConformanceServer;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

// The fixtures @modelcontextprotocol/conformance's server scenarios expect, over stdio, so the
// gateway + pool can be run through the suite. Sampling and elicitation need a session-mode slot.
var options = new McpServerOptions
{
    ServerInfo = new Implementation { Name = "mcp-platform-conformance", Version = "1.0.0" },
    Capabilities = new ServerCapabilities
    {
        Tools = new ToolsCapability { ListChanged = true },
        Resources = new ResourcesCapability { Subscribe = true, ListChanged = true },
        Prompts = new PromptsCapability { ListChanged = true },
        Logging = new LoggingCapability(),
        Completions = new CompletionsCapability(),
    },
    Handlers = new McpServerHandlers
    {
        ListToolsHandler = ConformanceTools.ListAsync,
        CallToolHandler = ConformanceTools.CallAsync,
        ListResourcesHandler = ConformanceResources.ListAsync,
        ListResourceTemplatesHandler = ConformanceResources.ListTemplatesAsync,
        ReadResourceHandler = ConformanceResources.ReadAsync,
        SubscribeToResourcesHandler = ConformanceResources.SubscribeAsync,
        UnsubscribeFromResourcesHandler = ConformanceResources.UnsubscribeAsync,
        ListPromptsHandler = ConformancePrompts.ListAsync,
        GetPromptHandler = ConformancePrompts.GetAsync,
        CompleteHandler = ConformancePrompts.CompleteAsync,
        SetLoggingLevelHandler = (_, _) => ValueTask.FromResult(new EmptyResult()),
    },
};

await using var transport = new StdioServerTransport("mcp-platform-conformance");
await using var server = McpServer.Create(transport, options);
await server.RunAsync();
