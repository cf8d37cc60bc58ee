using System.Text.Json;
using System.Text.Unicode;

namespace McpPlatform.Protocol.JsonRpc;

/// <summary>
/// What <see cref="JsonRpcEnvelope.Parse"/> leaves to its callers: telling bad JSON (-32700) from a valid JSON value
/// that is not a JSON-RPC message (-32600), and splitting a 2025-03-26 batch into its messages, without a DOM.
/// </summary>
public static class JsonRpcSyntax
{
    private static readonly JsonReaderOptions Options = new() { MaxDepth = 256 };

    /// <summary>True when <paramref name="message"/> is valid UTF-8 holding exactly one well-formed JSON value.</summary>
    public static bool IsWellFormedJson(ReadOnlySpan<byte> message)
    {
        if (!Utf8.IsValid(message))
        {
            return false;
        }

        try
        {
            var reader = new Utf8JsonReader(message, Options);
            if (!reader.Read())
            {
                return false;
            }

            reader.Skip();
            return !reader.Read();
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>True when the first non-whitespace byte opens an array (a batch).</summary>
    public static bool LooksLikeBatch(ReadOnlySpan<byte> message)
    {
        var start = message.IndexOfAnyExcept(" \t\r\n"u8);
        return start >= 0 && message[start] == (byte)'[';
    }

    /// <summary>
    /// The element ranges of a JSON array, in order; false when <paramref name="batch"/> is not one well-formed array.
    /// Elements are not checked here: parse each with <see cref="JsonRpcEnvelope.Parse"/>.
    /// </summary>
    public static bool TrySplitBatch(ReadOnlySpan<byte> batch, List<Range> elements)
    {
        ArgumentNullException.ThrowIfNull(elements);
        if (!Utf8.IsValid(batch))
        {
            return false;
        }

        try
        {
            var reader = new Utf8JsonReader(batch, Options);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                elements.Add(start..(int)reader.BytesConsumed);
            }

            return reader.TokenType == JsonTokenType.EndArray && !reader.Read();
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
