using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace McpPlatform.Dispatcher.Grpc.Relay;

/// <summary>
/// The few facts the dispatcher reads from a verbatim JSON-RPC message (its id, method, and whether a list request
/// asks for a later page), found in one forward pass without building a document; also the error responses the
/// dispatcher itself writes when a worker fails a call.
/// </summary>
internal readonly record struct JsonRpcEnvelope(ReadOnlyMemory<byte> RawId, string? Method, bool HasCursor)
{
    /// <summary>False when <paramref name="json"/> is not one JSON object.</summary>
    public static bool TryRead(ReadOnlyMemory<byte> json, out JsonRpcEnvelope envelope)
    {
        envelope = default;
        try
        {
            var reader = new Utf8JsonReader(json.Span);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            ReadOnlyMemory<byte> id = default;
            string? method = null;
            var cursor = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString();
                reader.Read();
                var start = (int)reader.TokenStartIndex;
                switch (name)
                {
                    case "id" when reader.TokenType is JsonTokenType.Number or JsonTokenType.String or JsonTokenType.Null:
                        id = json[start..(start + (int)(reader.BytesConsumed - start))];
                        break;
                    case "method" when reader.TokenType == JsonTokenType.String:
                        method = reader.GetString();
                        break;
                    case "params" when reader.TokenType == JsonTokenType.StartObject:
                        var depth = reader.CurrentDepth;
                        while (reader.Read() && reader.CurrentDepth > depth)
                        {
                            if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == depth + 1 && reader.ValueTextEquals("cursor"u8))
                            {
                                cursor = true;
                            }
                        }

                        break;
                    default:
                        reader.Skip();
                        break;
                }
            }

            if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
            {
                return false;
            }

            envelope = new JsonRpcEnvelope(id, method, cursor);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>A JSON-RPC error response with this message's id (-32603: the call failed for a reason outside the server's answer).</summary>
    public byte[] Error(int code, string message)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        // Relaxed escaping: the text reaches MCP clients as JSON, never embedded in HTML.
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            writer.WriteString("jsonrpc", "2.0");
            writer.WritePropertyName("id");
            if (RawId.IsEmpty)
            {
                writer.WriteNullValue();
            }
            else
            {
                writer.WriteRawValue(RawId.Span, skipInputValidation: true);
            }

            writer.WriteStartObject("error");
            writer.WriteNumber("code", code);
            writer.WriteString("message", message);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>A result response with this message's id around a cached raw result.</summary>
    public byte[] Result(ReadOnlySpan<byte> rawResult)
    {
        var id = RawId.IsEmpty ? "null"u8 : RawId.Span;
        var prefix = "{\"jsonrpc\":\"2.0\",\"id\":"u8;
        var middle = ",\"result\":"u8;
        var bytes = new byte[prefix.Length + id.Length + middle.Length + rawResult.Length + 1];
        var span = bytes.AsSpan();
        prefix.CopyTo(span);
        id.CopyTo(span[prefix.Length..]);
        middle.CopyTo(span[(prefix.Length + id.Length)..]);
        rawResult.CopyTo(span[(prefix.Length + id.Length + middle.Length)..]);
        span[^1] = (byte)'}';
        return bytes;
    }

    /// <summary>The raw "result" value of a response, or null when it is an error or not JSON-RPC.</summary>
    public static byte[]? ResultOf(ReadOnlyMemory<byte> response)
    {
        try
        {
            var reader = new Utf8JsonReader(response.Span);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isResult = reader.ValueTextEquals("result"u8);
                reader.Read();
                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                if (isResult)
                {
                    return response[start..(int)reader.BytesConsumed].ToArray();
                }
            }

            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public override string ToString() => Encoding.UTF8.GetString(RawId.Span);
}
