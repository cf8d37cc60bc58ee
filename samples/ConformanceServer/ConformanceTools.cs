using System.Text.Json;
using System.Text.Json.Nodes;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace McpPlatform.ConformanceServer;

/// <summary>The conformance suite's tool fixtures (names, arguments and results as its scenarios describe them).</summary>
internal static class ConformanceTools
{
    private const string NoArgs = """{"type":"object","properties":{}}""";

    private static readonly List<Tool> Tools =
    [
        Define("test_simple_text", "Returns a simple text response.", NoArgs),
        Define("test_image_content", "Returns a 1x1 PNG image.", NoArgs),
        Define("test_audio_content", "Returns a short WAV clip.", NoArgs),
        Define("test_embedded_resource", "Returns an embedded text resource.", NoArgs),
        Define("test_multiple_content_types", "Returns text, image and resource content together.", NoArgs),
        Define("test_tool_with_logging", "Sends three info log notifications while it runs.", NoArgs),
        Define("test_tool_with_progress", "Reports progress 0, 50 and 100 of 100 when given a progressToken.", NoArgs),
        Define("test_error_handling", "Always fails with isError: true.", NoArgs),
        Define("test_sampling", "Asks the client to sample an LLM with the given prompt.",
            """{"type":"object","properties":{"prompt":{"type":"string","description":"The prompt to send to the LLM"}},"required":["prompt"]}"""),
        Define("test_elicitation", "Asks the user for a username and email.",
            """{"type":"object","properties":{"message":{"type":"string","description":"The message to show the user"}},"required":["message"]}"""),
        Define("test_elicitation_sep1034_defaults", "Elicits with defaults for every primitive type (SEP-1034).", NoArgs),
        Define("test_elicitation_sep1330_enums", "Elicits with all five enum schema variants (SEP-1330).", NoArgs),
        Define("test_reconnection", "Answers after a short pause; over HTTP the gateway may close the stream mid-call (SEP-1699).", NoArgs),
        Define("json_schema_2020_12_tool", "Tool with JSON Schema 2020-12 features", Schemas.JsonSchema202012),
    ];

    public static ValueTask<ListToolsResult> ListAsync(RequestContext<ListToolsRequestParams> request, CancellationToken cancellationToken) =>
        ValueTask.FromResult(new ListToolsResult { Tools = Tools });

    public static async ValueTask<CallToolResult> CallAsync(RequestContext<CallToolRequestParams> request, CancellationToken cancellationToken)
    {
        var args = request.Params?.Arguments;
        switch (request.Params?.Name)
        {
            case "test_simple_text":
                return Result(Text("This is a simple text response for testing."));
            case "test_image_content":
                return Result(Image());
            case "test_audio_content":
                return Result(new AudioContentBlock { Data = Utf8(Fixtures.WavBase64), MimeType = "audio/wav" });
            case "test_embedded_resource":
                return Result(Embedded("test://embedded-resource", "text/plain", "This is an embedded resource content."));
            case "test_multiple_content_types":
                return Result(
                    Text("Multiple content types test:"),
                    Image(),
                    Embedded("test://mixed-content-resource", "application/json", """{"test":"data","value":123}"""));
            case "test_tool_with_logging":
                string[] lines = ["Tool execution started", "Tool processing data", "Tool execution completed"];
                for (var i = 0; i < lines.Length; i++)
                {
                    if (i > 0)
                    {
                        await Task.Delay(50, cancellationToken).ConfigureAwait(false);
                    }

                    await Notify(request.Server, "notifications/message",
                        new JsonObject { ["level"] = "info", ["logger"] = "conformance", ["data"] = lines[i] }, cancellationToken).ConfigureAwait(false);
                }

                return Result(Text("Tool with logging executed successfully"));
            case "test_tool_with_progress":
                var token = request.Params?.ProgressToken;
                for (var p = 0; p <= 100; p += 50)
                {
                    if (p > 0)
                    {
                        await Task.Delay(50, cancellationToken).ConfigureAwait(false);
                    }

                    if (token is { } t)
                    {
                        await request.Server.NotifyProgressAsync(t, new ProgressNotificationValue { Progress = p, Total = 100 }, cancellationToken: cancellationToken)
                            .ConfigureAwait(false);
                    }
                }

                return Result(Text("Tool with progress executed successfully"));
            case "test_error_handling":
                return new CallToolResult { IsError = true, Content = [Text("This tool intentionally returns an error for testing")] };
            case "test_sampling":
                return await ClientRequests.SampleAsync(request.Server, Str(args, "prompt"), cancellationToken).ConfigureAwait(false);
            case "test_elicitation":
                return await ClientRequests.ElicitAsync(request.Server, Schemas.Elicitation(Str(args, "message")), "User response", cancellationToken).ConfigureAwait(false);
            case "test_elicitation_sep1034_defaults":
                return await ClientRequests.ElicitAsync(request.Server, Schemas.ElicitationDefaults(), "Elicitation completed", cancellationToken).ConfigureAwait(false);
            case "test_elicitation_sep1330_enums":
                return await ClientRequests.ElicitAsync(request.Server, Schemas.ElicitationEnums(), "Elicitation completed", cancellationToken).ConfigureAwait(false);
            case "test_reconnection":
                await Task.Delay(100, cancellationToken).ConfigureAwait(false);
                return Result(Text("Reconnection test completed successfully"));
            case "json_schema_2020_12_tool":
                return Result(Text("JSON Schema 2020-12 tool called"));
            default:
                throw new McpProtocolException($"Unknown tool '{request.Params?.Name}'.", McpErrorCode.InvalidParams);
        }
    }

    internal static ValueTask Notify(McpServer server, string method, JsonNode parameters, CancellationToken cancellationToken) =>
        new(server.SendMessageAsync(new JsonRpcNotification { Method = method, Params = parameters }, cancellationToken));

    internal static TextContentBlock Text(string text) => new() { Text = text };

    internal static ImageContentBlock Image() => new() { Data = Utf8(Fixtures.PngBase64), MimeType = "image/png" };

    internal static ReadOnlyMemory<byte> Utf8(string base64) => System.Text.Encoding.UTF8.GetBytes(base64);

    internal static CallToolResult Result(params ContentBlock[] content) => new() { Content = content };

    private static EmbeddedResourceBlock Embedded(string uri, string mimeType, string text) =>
        new() { Resource = new TextResourceContents { Uri = uri, MimeType = mimeType, Text = text } };

    private static string Str(IDictionary<string, JsonElement>? args, string name) =>
        args is not null && args.TryGetValue(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : string.Empty;

    private static Tool Define(string name, string description, string schema) =>
        new() { Name = name, Description = description, InputSchema = JsonElement.Parse(schema) };
}
