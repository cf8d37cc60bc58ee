using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace McpPlatform.EchoServer;

/// <summary>The echo server's tools; schemas are literal JSON so what the wire carries is obvious.</summary>
internal static class EchoTools
{
    /// <summary>The variable Worker.Host sets in tenant mode; <c>whoami</c> reports it so tests can assert isolation.</summary>
    public const string TenantVariable = "MCP_TENANT_ID";

    private static readonly List<Tool> Tools =
    [
        Define("echo", "Returns its text argument unchanged.",
            """{"type":"object","properties":{"text":{"type":"string"}},"required":["text"]}"""),
        Define("whoami", "Returns this process's id, tenant (MCP_TENANT_ID) and working directory as JSON.",
            """{"type":"object","properties":{}}"""),
        Define("sleep", "Waits the given number of milliseconds (honours cancellation), then answers.",
            """{"type":"object","properties":{"ms":{"type":"integer","minimum":0}},"required":["ms"]}"""),
        Define("crash", "Exits the process at once with the given exit code (default 3).",
            """{"type":"object","properties":{"exitCode":{"type":"integer"}}}"""),
        Define("progress", "Sends `steps` progress notifications (when a progressToken is given), then answers.",
            """{"type":"object","properties":{"steps":{"type":"integer","minimum":1},"delayMs":{"type":"integer","minimum":0}}}"""),
        Define("allocate", "Allocates and holds the given number of megabytes (to drive memory-ceiling recycling).",
            """{"type":"object","properties":{"mb":{"type":"integer","minimum":1}},"required":["mb"]}"""),
        Define("touch_tools", "Sends notifications/tools/list_changed.", """{"type":"object","properties":{}}"""),
    ];

    private static readonly List<byte[]> Held = [];

    public static ValueTask<ListToolsResult> ListAsync(RequestContext<ListToolsRequestParams> request, CancellationToken cancellationToken) =>
        ValueTask.FromResult(new ListToolsResult { Tools = Tools });

    public static async ValueTask<CallToolResult> CallAsync(RequestContext<CallToolRequestParams> request, CancellationToken cancellationToken)
    {
        var name = request.Params?.Name;
        var args = request.Params?.Arguments;
        switch (name)
        {
            case "echo":
                return Text(args is not null && args.TryGetValue("text", out var text) && text.ValueKind == JsonValueKind.String
                    ? text.GetString()! : string.Empty);
            case "whoami":
                var who = new JsonObject
                {
                    ["pid"] = Environment.ProcessId,
                    ["tenant"] = Environment.GetEnvironmentVariable(TenantVariable),
                    ["cwd"] = Environment.CurrentDirectory,
                };
                return Text(who.ToJsonString());
            case "sleep":
                var ms = Int(args, "ms", 0);
                await Task.Delay(ms, cancellationToken).ConfigureAwait(false);
                return Text(string.Create(CultureInfo.InvariantCulture, $"slept {ms} ms"));
            case "crash":
                await Console.Error.WriteLineAsync("crash tool called; exiting").ConfigureAwait(false);
                Environment.Exit(Int(args, "exitCode", 3));
                return Text("unreachable");
            case "progress":
                return await ProgressAsync(request, Int(args, "steps", 3), Int(args, "delayMs", 0), cancellationToken).ConfigureAwait(false);
            case "allocate":
                var block = new byte[Int(args, "mb", 1) * 1024 * 1024];
                Array.Fill(block, (byte)1);
                Held.Add(block);
                return Text(string.Create(CultureInfo.InvariantCulture, $"holding {Held.Count} blocks"));
            case "touch_tools":
                await request.Server.SendNotificationAsync(NotificationMethods.ToolListChangedNotification, cancellationToken).ConfigureAwait(false);
                return Text("sent");
            default:
                throw new McpProtocolException($"Unknown tool '{name}'.", McpErrorCode.InvalidParams);
        }
    }

    private static async ValueTask<CallToolResult> ProgressAsync(
        RequestContext<CallToolRequestParams> request, int steps, int delayMs, CancellationToken cancellationToken)
    {
        var token = request.Params?.ProgressToken;
        for (var i = 1; i <= steps; i++)
        {
            if (token is { } t)
            {
                await request.Server.NotifyProgressAsync(t, new ProgressNotificationValue { Progress = i, Total = steps }, cancellationToken: cancellationToken)
                    .ConfigureAwait(false);
            }

            if (delayMs > 0)
            {
                await Task.Delay(delayMs, cancellationToken).ConfigureAwait(false);
            }
        }

        return Text(string.Create(CultureInfo.InvariantCulture, $"done {steps} steps"));
    }

    private static int Int(IDictionary<string, JsonElement>? args, string name, int fallback) =>
        args is not null && args.TryGetValue(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt32() : fallback;

    private static CallToolResult Text(string text) => new() { Content = [new TextContentBlock { Text = text }] };

    private static Tool Define(string name, string description, string schema) =>
        new() { Name = name, Description = description, InputSchema = JsonElement.Parse(schema) };
}
