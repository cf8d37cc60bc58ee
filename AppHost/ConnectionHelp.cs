using System.Text.Json;
using McpPlatform.Hosting;

namespace McpPlatform.AppHost;

/// <summary>What a developer needs once the platform is up: where the gateway is and how to connect a client.</summary>
internal static class ConnectionHelp
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static void Print(DistributedApplication app, DevelopmentCredentials credentials)
    {
        var gateway = app.GetEndpoint("gateway-edge").ToString().TrimEnd('/');
        var mcpJson = JsonSerializer.Serialize(new
        {
            mcpServers = new Dictionary<string, object>
            {
                ["echo"] = new
                {
                    type = "http",
                    url = $"{gateway}/mcp/echo",
                    headers = new Dictionary<string, string> { ["Authorization"] = $"Bearer {credentials.ApiKey}" },
                },
            },
        }, Indented);
        app.WriteMessage($"""

            McpPlatform is ready{(credentials.CreatedNow ? " (development credentials created now)" : string.Empty)}.
              Gateway:   {gateway}
              API key:   {credentials.ApiKey}
              Admin:     {credentials.AdminEmail} / {credentials.AdminPassword}
            Connect an MCP client (mcp.json):
            {mcpJson}
            Press Ctrl+C to stop everything.
            """);
    }
}
