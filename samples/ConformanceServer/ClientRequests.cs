using System.Text.Json.Nodes;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace McpPlatform.ConformanceServer;

/// <summary>
/// Server-to-client requests (sampling, elicitation) sent as raw JSON-RPC so the schemas reach the
/// client exactly as the conformance scenarios spell them (including the deprecated enumNames form).
/// </summary>
internal static class ClientRequests
{
    public static async ValueTask<CallToolResult> SampleAsync(McpServer server, string prompt, CancellationToken cancellationToken)
    {
        if (server.ClientCapabilities?.Sampling is null)
        {
            return Error("The client did not declare the sampling capability.");
        }

        var parameters = new JsonObject
        {
            ["messages"] = new JsonArray(new JsonObject
            {
                ["role"] = "user",
                ["content"] = new JsonObject { ["type"] = "text", ["text"] = prompt },
            }),
            ["maxTokens"] = 100,
        };
        var response = await server.SendRequestAsync(new JsonRpcRequest { Method = "sampling/createMessage", Params = parameters }, cancellationToken)
            .ConfigureAwait(false);
        var content = response.Result?["content"];
        var text = content is JsonArray array ? array.FirstOrDefault()?["text"] : content?["text"];
        return ConformanceTools.Result(ConformanceTools.Text($"LLM response: {text?.GetValue<string>() ?? string.Empty}"));
    }

    public static async ValueTask<CallToolResult> ElicitAsync(McpServer server, JsonObject parameters, string prefix, CancellationToken cancellationToken)
    {
        if (server.ClientCapabilities?.Elicitation is null)
        {
            return Error("The client did not declare the elicitation capability.");
        }

        var response = await server.SendRequestAsync(new JsonRpcRequest { Method = "elicitation/create", Params = parameters }, cancellationToken)
            .ConfigureAwait(false);
        var action = response.Result?["action"]?.GetValue<string>() ?? "unknown";
        var content = response.Result?["content"]?.ToJsonString() ?? "{}";
        return ConformanceTools.Result(ConformanceTools.Text($"{prefix}: action={action}, content={content}"));
    }

    private static CallToolResult Error(string message) =>
        new() { IsError = true, Content = [ConformanceTools.Text(message)] };
}
