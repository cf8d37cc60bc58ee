using System.Text.Json;
using System.Text.Json.Nodes;
using McpPlatform.Protocol.JsonRpc;

namespace McpPlatform.Gateway.Edge.Mcp.Stateless;

/// <summary>
/// A session-isolation server's requests to a 2026-07-28 client: which become <c>inputRequests</c> and which the
/// gateway answers itself. The revision allows only sampling, elicitation and roots as input requests, and only those
/// the client declared in <c>clientCapabilities</c>; <c>ping</c> is answered here (the gateway is alive for the client).
/// </summary>
internal static class ServerRequests
{
    /// <summary>The gateway's own response to the server, or null when the request goes to the client.</summary>
    public static byte[]? Refusal(JsonObject request, JsonObject? meta)
    {
        var method = request["method"]?.GetValue<string>();
        if (method == "ping")
        {
            return Response(request, new JsonObject { ["result"] = new JsonObject() });
        }

        var capability = method switch
        {
            "sampling/createMessage" => "sampling",
            "elicitation/create" => "elicitation",
            "roots/list" => "roots",
            _ => null,
        };
        var message = capability is null
            ? $"'{method}' cannot reach a client of revision {StatelessRevision.Version} (only sampling, elicitation and roots can)."
            : meta?[StatelessRevision.ClientCapabilitiesKey]?[capability] is null
                ? $"The client did not declare the '{capability}' capability."
                : null;
        return message is null ? null : Response(request, new JsonObject { ["error"] = new JsonObject { ["code"] = JsonRpcErrorCodes.MethodNotFound, ["message"] = message } });
    }

    private static byte[] Response(JsonObject request, JsonObject body)
    {
        body["jsonrpc"] = "2.0";
        body["id"] = request["id"]!.DeepClone();
        return JsonSerializer.SerializeToUtf8Bytes(body);
    }
}
