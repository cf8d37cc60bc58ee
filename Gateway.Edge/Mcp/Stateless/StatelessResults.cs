using System.Text.Json;
using System.Text.Json.Nodes;
using McpPlatform.Gateway.Edge.Mcp.Transport;

namespace McpPlatform.Gateway.Edge.Mcp.Stateless;

/// <summary>
/// What a 2026-07-28 client needs on top of an initialize-era upstream's answers: <c>resultType</c> on every result,
/// <c>ttlMs</c>/<c>cacheScope</c> on cacheable ones, <c>server/discover</c> built from the upstream's initialize
/// result, and the modern errors (UnsupportedProtocolVersion with the supported list).
/// </summary>
internal static class StatelessResults
{
    /// <summary>Adds what the revision requires to a result; errors and unparsable bodies pass unchanged.</summary>
    public static ReadOnlyMemory<byte> Complete(ReadOnlyMemory<byte> response, string method, StatelessOptions options)
    {
        if (Parse(response) is not { } root || root["result"] is not JsonObject result)
        {
            return response;
        }

        result["resultType"] ??= "complete";
        if (StatelessRevision.IsCacheable(method))
        {
            result["ttlMs"] ??= (long)options.CacheTtl.TotalMilliseconds;
            result["cacheScope"] ??= options.CacheScope;
        }

        return JsonSerializer.SerializeToUtf8Bytes(root);
    }

    /// <summary>The response with the client's id: a private session's call keeps the gateway's id across the client's retries.</summary>
    public static ReadOnlyMemory<byte> WithId(ReadOnlyMemory<byte> response, JsonNode? id)
    {
        if (Parse(response) is not { } root)
        {
            return response;
        }

        root["id"] = id?.DeepClone();
        return JsonSerializer.SerializeToUtf8Bytes(root);
    }

    /// <summary>An InputRequiredResult: the server's questions and the state the retry must carry.</summary>
    public static byte[] InputRequired(JsonNode? id, JsonObject inputRequests, string requestState) => JsonSerializer.SerializeToUtf8Bytes(new JsonObject
    {
        ["jsonrpc"] = "2.0",
        ["id"] = id?.DeepClone(),
        ["result"] = new JsonObject { ["resultType"] = "input_required", ["inputRequests"] = inputRequests, ["requestState"] = requestState },
    });

    /// <summary>A JSON-RPC error response body.</summary>
    public static byte[] Error(JsonNode? id, int code, string message) => JsonSerializer.SerializeToUtf8Bytes(new JsonObject
    {
        ["jsonrpc"] = "2.0",
        ["id"] = id?.DeepClone(),
        ["error"] = new JsonObject { ["code"] = code, ["message"] = message },
    });

    /// <summary>An InitializeResult turned into a DiscoverResult (capabilities, serverInfo in <c>_meta</c>, instructions).</summary>
    public static ReadOnlyMemory<byte> Discover(ReadOnlyMemory<byte> response, StatelessOptions options)
    {
        if (Parse(response) is not { } root || root["result"] is not JsonObject initialize)
        {
            return response;
        }

        var discover = new JsonObject
        {
            ["resultType"] = "complete",
            ["supportedVersions"] = new JsonArray([.. StatelessRevision.SupportedVersions.Select(v => (JsonNode)v)]),
            ["capabilities"] = initialize["capabilities"]?.DeepClone() ?? new JsonObject(),
            ["_meta"] = new JsonObject { [StatelessRevision.ServerInfoKey] = initialize["serverInfo"]?.DeepClone() },
            ["ttlMs"] = (long)options.CacheTtl.TotalMilliseconds,
            ["cacheScope"] = options.CacheScope,
        };
        if (initialize["instructions"] is { } instructions)
        {
            discover["instructions"] = instructions.DeepClone();
        }

        root["result"] = discover;
        return JsonSerializer.SerializeToUtf8Bytes(root);
    }

    /// <summary>The <c>initialize</c> the worker answers from its own handshake with the process (nothing reaches the process).</summary>
    public static byte[] InitializeFor(StatelessRequest request, string upstreamVersion) => JsonSerializer.SerializeToUtf8Bytes(new JsonObject
    {
        ["jsonrpc"] = "2.0",
        ["id"] = request.Id?.DeepClone(),
        ["method"] = "initialize",
        ["params"] = new JsonObject
        {
            ["protocolVersion"] = upstreamVersion,
            ["capabilities"] = new JsonObject(),
            ["clientInfo"] = request.Meta?[StatelessRevision.ClientInfoKey]?.DeepClone() ?? new JsonObject { ["name"] = "mcpplatform-gateway", ["version"] = "1.0.0" },
        },
    });

    /// <summary>400 with UnsupportedProtocolVersion: the versions this endpoint serves and the one asked for.</summary>
    public static Task UnsupportedVersionAsync(HttpContext http, JsonNode? id, string requested) => ErrorAsync(http, StatusCodes.Status400BadRequest, id,
        StatelessRevision.UnsupportedProtocolVersion, "Unsupported protocol version",
        new JsonObject { ["supported"] = new JsonArray([.. StatelessRevision.SupportedVersions.Select(v => (JsonNode)v)]), ["requested"] = requested });

    public static Task ErrorAsync(HttpContext http, int status, JsonNode? id, int code, string message, JsonObject? data = null)
    {
        var error = new JsonObject { ["code"] = code, ["message"] = message };
        if (data is not null)
        {
            error["data"] = data;
        }

        var body = JsonSerializer.SerializeToUtf8Bytes(new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id?.DeepClone(), ["error"] = error });
        return McpResults.JsonAsync(http, status, body);
    }

    private static JsonObject? Parse(ReadOnlyMemory<byte> response)
    {
        try
        {
            return JsonNode.Parse(response.Span) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
