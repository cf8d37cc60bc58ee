using System.Globalization;
using System.Text;
using System.Text.Json;

namespace McpPlatform.Bench.Gateway.Client;

/// <summary>The few JSON-RPC messages the bench sends, and the check of an answer against its request.</summary>
public static class JsonRpc
{
    public const string ProtocolVersion = "2025-06-18";

    public static byte[] Initialize(long id) => Encoding.UTF8.GetBytes(
        $$$$"""{"jsonrpc":"2.0","id":{{{{id}}}},"method":"initialize","params":{"protocolVersion":"{{{{ProtocolVersion}}}}","capabilities":{},"clientInfo":{"name":"gateway-bench","version":"1.0.0"}}}""");

    public static readonly byte[] Initialized = """{"jsonrpc":"2.0","method":"notifications/initialized"}"""u8.ToArray();

    /// <summary>A tools/call of <paramref name="tool"/>; <paramref name="arguments"/> is a JSON object.</summary>
    public static byte[] ToolCall(long id, string tool, string arguments) => Encoding.UTF8.GetBytes(
        $$$"""{"jsonrpc":"2.0","id":{{{id}}},"method":"tools/call","params":{"name":"{{{tool}}}","arguments":{{{arguments}}}}}""");

    public static string EchoArguments(string text) => $$"""{"text":"{{text}}"}""";

    /// <summary>The id of a response (numbers only: the bench never sends string ids), or null for anything else.</summary>
    public static long? ResponseId(ReadOnlySpan<byte> message)
    {
        if (message.IsEmpty)
        {
            return null;
        }
        var reader = new Utf8JsonReader(message);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return null;
        }
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("id"u8))
            {
                reader.Read();
                return reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var id) ? id : null;
            }
            reader.Read();
            reader.TrySkip();
        }
        return null;
    }

    /// <summary>True for a JSON-RPC response (an object with no "method"); false for requests, notifications and empty data.</summary>
    public static bool IsResponse(ReadOnlySpan<byte> message)
    {
        if (message.IsEmpty)
        {
            return false;
        }
        var reader = new Utf8JsonReader(message);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("method"u8))
            {
                return false;
            }
            reader.Read();
            reader.TrySkip();
        }
        return true;
    }

    /// <summary>Judges an answer to tools/call: the same id, no error, and (when given) the first text block equal to <paramref name="expectedText"/>.</summary>
    public static CallOutcome Check(ReadOnlySpan<byte> message, long id, string? expectedText)
    {
        using var doc = JsonDocument.Parse(message.ToArray());
        var root = doc.RootElement;
        if (!root.TryGetProperty("id", out var gotId) || gotId.ValueKind != JsonValueKind.Number || gotId.GetInt64() != id)
        {
            return CallOutcome.Wrong($"id {(root.TryGetProperty("id", out var other) ? other.GetRawText() : "missing")} for request {id}");
        }
        if (root.TryGetProperty("error", out var error))
        {
            return CallOutcome.Failed(error.TryGetProperty("message", out var m) ? m.GetString() ?? "error" : error.GetRawText());
        }
        if (!root.TryGetProperty("result", out var result))
        {
            return CallOutcome.Failed("neither result nor error");
        }
        var text = result.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.Array && content.GetArrayLength() > 0
            && content[0].TryGetProperty("text", out var t) ? t.GetString() : null;
        if (result.TryGetProperty("isError", out var isError) && isError.ValueKind == JsonValueKind.True)
        {
            return CallOutcome.Failed(text ?? "isError");
        }
        if (expectedText is not null && text != expectedText)
        {
            return CallOutcome.Wrong($"payload '{Shorten(text)}' for '{expectedText}'");
        }
        return CallOutcome.Success;
    }

    /// <summary>A payload unique across the whole run, so an answer handed to the wrong caller cannot pass.</summary>
    public static string UniquePayload(int session, long call) =>
        string.Create(CultureInfo.InvariantCulture, $"s{session}-c{call}-{Random.Shared.Next():x8}");

    private static string? Shorten(string? text) => text is { Length: > 60 } ? text[..60] + "…" : text;
}
