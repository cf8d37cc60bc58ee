using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace McpPlatform.Gateway.Edge.Mcp.Stateless;

/// <summary>
/// A 2026-07-28 request, parsed once: its method, name and <c>_meta</c>, the header checks (<c>Mcp-Method</c>,
/// <c>Mcp-Name</c> with the Base64 sentinel, the version header against <c>_meta</c>), and the message for an
/// upstream that speaks an initialize-era revision (the per-request <c>io.modelcontextprotocol/*</c> keys taken out:
/// the worker did the handshake, and a dual-era server must not switch to stateless semantics mid-session).
/// </summary>
internal sealed class StatelessRequest
{
    private readonly JsonObject _root;

    private StatelessRequest(JsonObject root, string method)
    {
        _root = root;
        Method = method;
        var parameters = root["params"] as JsonObject;
        Meta = parameters?["_meta"] as JsonObject;
        Name = method switch
        {
            "tools/call" or "prompts/get" => StringOf(parameters?["name"]),
            "resources/read" => StringOf(parameters?["uri"]),
            _ => null,
        };
    }

    public string Method { get; }

    /// <summary><c>params.name</c> (tools/call, prompts/get) or <c>params.uri</c> (resources/read).</summary>
    public string? Name { get; }

    public JsonObject? Meta { get; }

    public JsonNode? Id => _root["id"];

    public JsonObject? Params => _root["params"] as JsonObject;

    /// <summary>A retry's <c>params.requestState</c> (multi-round-trip requests), or null.</summary>
    public string? RequestState => StringOf(Params?["requestState"]);

    /// <summary>A retry's <c>params.inputResponses</c>, or null.</summary>
    public JsonObject? InputResponses => Params?["inputResponses"] as JsonObject;

    public string? ProtocolVersion => StringOf(Meta?[StatelessRevision.ProtocolVersionKey]);

    /// <summary>The request, or null when the body is not a JSON object with a string method.</summary>
    public static StatelessRequest? Parse(ReadOnlySpan<byte> message)
    {
        try
        {
            return JsonNode.Parse(message) is JsonObject root && StringOf(root["method"]) is { } method ? new StatelessRequest(root, method) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Null when the headers agree with the body; otherwise what is wrong (HeaderMismatch).</summary>
    public string? HeaderProblem(HttpRequest request, string versionHeader)
    {
        var method = request.Headers[StatelessRevision.MethodHeader].ToString();
        if (method.Length == 0)
        {
            return "The Mcp-Method header is required on every 2026-07-28 request.";
        }

        if (!string.Equals(method, Method, StringComparison.Ordinal))
        {
            return "Header mismatch: the Mcp-Method header does not match the body's method.";
        }

        if (Method is "tools/call" or "prompts/get" or "resources/read")
        {
            var name = Decode(request.Headers[StatelessRevision.NameHeader].ToString());
            if (name is null)
            {
                return $"The Mcp-Name header is required on {Method} (plain ASCII, or =?base64?…?=).";
            }

            if (!string.Equals(name, Name, StringComparison.Ordinal))
            {
                return "Header mismatch: the Mcp-Name header does not match the body's " + (Method == "resources/read" ? "params.uri." : "params.name.");
            }
        }

        return string.Equals(ProtocolVersion, versionHeader, StringComparison.Ordinal)
            ? null
            : $"Header mismatch: MCP-Protocol-Version must equal params._meta[\"{StatelessRevision.ProtocolVersionKey}\"].";
    }

    /// <summary>The message for an initialize-era upstream; the modern one as is for a modern upstream.</summary>
    public byte[] ForUpstream(bool upstreamIsModern, ReadOnlySpan<byte> original)
    {
        if (upstreamIsModern || Meta is null)
        {
            return original.ToArray();
        }

        foreach (var key in Meta.Select(p => p.Key).Where(k => k.StartsWith(StatelessRevision.MetaPrefix, StringComparison.Ordinal)).ToList())
        {
            Meta.Remove(key);
        }

        if (Meta.Count == 0)
        {
            Params!.Remove("_meta");
        }

        return JsonSerializer.SerializeToUtf8Bytes(_root);
    }

    /// <summary>
    /// The message for a private session (<see cref="SessionBridge"/>): as for an initialize-era upstream, with the
    /// gateway's id (the retries' ids differ, the upstream call stays one) and without the retry fields, which the
    /// gateway consumed.
    /// </summary>
    public byte[] ForSession(string upstreamId)
    {
        var root = (JsonObject)_root.DeepClone();
        root["id"] = upstreamId;
        if (root["params"] is JsonObject parameters)
        {
            parameters.Remove("inputResponses");
            parameters.Remove("requestState");
            if (parameters["_meta"] is JsonObject meta)
            {
                foreach (var key in meta.Select(p => p.Key).Where(k => k.StartsWith(StatelessRevision.MetaPrefix, StringComparison.Ordinal)).ToList())
                {
                    meta.Remove(key);
                }

                if (meta.Count == 0)
                {
                    parameters.Remove("_meta");
                }
            }
        }

        return JsonSerializer.SerializeToUtf8Bytes(root);
    }

    /// <summary>A header value: plain visible ASCII, or the Base64 sentinel of UTF-8 text; null when absent or malformed.</summary>
    internal static string? Decode(string value)
    {
        if (value.Length == 0)
        {
            return null;
        }

        if (!value.StartsWith("=?base64?", StringComparison.Ordinal) || !value.EndsWith("?=", StringComparison.Ordinal) || value.Length < 11)
        {
            return value;
        }

        try
        {
            return new UTF8Encoding(false, true).GetString(Convert.FromBase64String(value[9..^2]));
        }
        catch (Exception ex) when (ex is FormatException or DecoderFallbackException)
        {
            return null;
        }
    }

    private static string? StringOf(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;
}
