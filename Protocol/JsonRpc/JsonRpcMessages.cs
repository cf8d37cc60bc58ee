using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace McpPlatform.Protocol.JsonRpc;

/// <summary>
/// The JSON-RPC messages the platform writes itself: error responses that name their cause in
/// <c>error.data.reason</c>, results spliced around a raw result, and the raw result of a response.
/// </summary>
public static class JsonRpcMessages
{
    // Relaxed escaping: the text reaches MCP clients as JSON, never embedded in HTML.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// <c>{"jsonrpc":"2.0","id":ID,"error":{"code":…,"message":…,"data":{"reason":…,"server":…}}}</c>; a null id when
    /// <paramref name="rawId"/> is empty; <c>data</c> left out when <paramref name="reason"/> is null.
    /// </summary>
    public static void WriteError(IBufferWriter<byte> output, ReadOnlySpan<byte> rawId, int code, string message, string? reason = null, string? server = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(message);
        using var writer = new Utf8JsonWriter(output, WriterOptions);
        writer.WriteStartObject();
        writer.WriteString("jsonrpc"u8, "2.0"u8);
        writer.WritePropertyName("id"u8);
        if (rawId.IsEmpty)
        {
            writer.WriteNullValue();
        }
        else
        {
            writer.WriteRawValue(rawId, skipInputValidation: true);
        }

        writer.WriteStartObject("error"u8);
        writer.WriteNumber("code"u8, code);
        writer.WriteString("message"u8, message);
        if (reason is not null)
        {
            writer.WriteStartObject("data"u8);
            writer.WriteString("reason"u8, reason);
            if (server is not null)
            {
                writer.WriteString("server"u8, server);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    /// <summary>As <see cref="WriteError"/>, into a new array.</summary>
    public static byte[] Error(ReadOnlySpan<byte> rawId, int code, string message, string? reason = null, string? server = null)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        WriteError(buffer, rawId, code, message, reason, server);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The length of <c>{"jsonrpc":"2.0","id":ID,"result":RESULT}</c>.</summary>
    public static int ResultLength(ReadOnlySpan<byte> rawId, ReadOnlySpan<byte> rawResult) =>
        ResultHead.Length + (rawId.IsEmpty ? 4 : rawId.Length) + ResultMiddle.Length + rawResult.Length + 1;

    /// <summary>Writes <c>{"jsonrpc":"2.0","id":ID,"result":RESULT}</c> from raw parts into <paramref name="destination"/>; returns the length.</summary>
    public static int WriteResult(Span<byte> destination, ReadOnlySpan<byte> rawId, ReadOnlySpan<byte> rawResult)
    {
        var id = rawId.IsEmpty ? "null"u8 : rawId;
        ResultHead.CopyTo(destination);
        var at = ResultHead.Length;
        id.CopyTo(destination[at..]);
        at += id.Length;
        ResultMiddle.CopyTo(destination[at..]);
        at += ResultMiddle.Length;
        rawResult.CopyTo(destination[at..]);
        at += rawResult.Length;
        destination[at] = (byte)'}';
        return at + 1;
    }

    /// <summary>As <see cref="WriteResult"/>, into a new array.</summary>
    public static byte[] Result(ReadOnlySpan<byte> rawId, ReadOnlySpan<byte> rawResult)
    {
        var bytes = new byte[ResultLength(rawId, rawResult)];
        WriteResult(bytes, rawId, rawResult);
        return bytes;
    }

    /// <summary>The raw <c>result</c> value of a response, or null when it is an error or not JSON-RPC.</summary>
    public static ReadOnlyMemory<byte>? ResultOf(ReadOnlyMemory<byte> response)
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
                    return response[start..(int)reader.BytesConsumed];
                }
            }

            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static ReadOnlySpan<byte> ResultHead => "{\"jsonrpc\":\"2.0\",\"id\":"u8;

    private static ReadOnlySpan<byte> ResultMiddle => ",\"result\":"u8;
}
