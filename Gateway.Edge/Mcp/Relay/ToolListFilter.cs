using System.Text.Json;
using System.Text.Json.Nodes;
using McpPlatform.Gateway.Edge.Access;

namespace McpPlatform.Gateway.Edge.Mcp.Relay;

/// <summary>
/// Removes from a <c>tools/list</c> response the tools the caller may not call. A first pass only reads the tool
/// names; the response is parsed and re-serialized only when the policy actually removes something.
/// </summary>
internal static class ToolListFilter
{
    public static Func<ReadOnlyMemory<byte>, ReadOnlyMemory<byte>> For(ICallPolicy policy, Caller caller, string server) =>
        response => Filter(response, name => policy.MayCallTool(caller, server, name));

    public static ReadOnlyMemory<byte> Filter(ReadOnlyMemory<byte> response, Func<string, bool> mayCall)
    {
        try
        {
            if (!AnyDenied(response.Span, mayCall))
            {
                return response;
            }

            var root = JsonNode.Parse(response.Span);
            if (root?["result"]?["tools"] is not JsonArray tools)
            {
                return response;
            }

            for (var i = tools.Count - 1; i >= 0; i--)
            {
                if (tools[i]?["name"]?.GetValueKind() == JsonValueKind.String && !mayCall(tools[i]!["name"]!.GetValue<string>()))
                {
                    tools.RemoveAt(i);
                }
            }

            return JsonSerializer.SerializeToUtf8Bytes(root);
        }
        catch (JsonException)
        {
            return response;
        }
    }

    /// <summary>Scans <c>result.tools[*].name</c> without building a DOM.</summary>
    private static bool AnyDenied(ReadOnlySpan<byte> response, Func<string, bool> mayCall)
    {
        var reader = new Utf8JsonReader(response);
        // Depth 1 = response object, 2 = result, 3 = tools array, 4 = a tool object.
        var inTools = false;
        while (reader.Read())
        {
            if (reader.TokenType != JsonTokenType.PropertyName)
            {
                continue;
            }

            if (reader.CurrentDepth == 2 && reader.ValueTextEquals("tools"u8))
            {
                inTools = true;
            }
            else if (inTools && reader.CurrentDepth == 4 && reader.ValueTextEquals("name"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.String && !mayCall(reader.GetString()!))
                {
                    return true;
                }
            }
            else if (reader.CurrentDepth == 2)
            {
                inTools = false;
            }
        }

        return false;
    }
}
