using System.Text.Json;
using System.Text.Unicode;

namespace McpPlatform.Protocol.JsonRpc;

/// <summary>The single forward pass behind <see cref="JsonRpcEnvelope.Parse"/>; throws <see cref="JsonException"/> on bad JSON.</summary>
internal static class JsonRpcEnvelopeReader
{
    private static readonly JsonReaderOptions Options = new() { MaxDepth = 256 };

    public static JsonRpcEnvelope Read(ReadOnlySpan<byte> message)
    {
        // The reader checks UTF-8 only in tokens it decodes; skipped strings would let bad bytes through to peers.
        if (!Utf8.IsValid(message))
        {
            return default;
        }

        var reader = new Utf8JsonReader(message, Options);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return default;
        }

        Range id = default, method = default;
        var fields = new ParamsFields();
        bool hasResult = false, isError = false, versionOk = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("jsonrpc"u8))
            {
                reader.Read();
                versionOk = reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("2.0"u8);
                reader.Skip();
            }
            else if (reader.ValueTextEquals("id"u8))
            {
                id = ReadScalar(ref reader);
            }
            else if (reader.ValueTextEquals("method"u8))
            {
                method = ReadString(ref reader);
            }
            else if (reader.ValueTextEquals("params"u8))
            {
                ReadParams(ref reader, ref fields);
            }
            else
            {
                var result = reader.ValueTextEquals("result"u8);
                var error = reader.ValueTextEquals("error"u8);
                hasResult |= result | error;
                isError |= error;
                reader.Read();
                reader.Skip();
            }
        }

        // One object and nothing after it: a second value or a truncated object is not a message.
        if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
        {
            return default;
        }

        var present = JsonRpcEnvelope.IsPresent(method);
        var kind = present ? (JsonRpcEnvelope.IsPresent(id) ? JsonRpcKind.Request : JsonRpcKind.Notification)
            : (hasResult && JsonRpcEnvelope.IsPresent(id) ? JsonRpcKind.Response : JsonRpcKind.Invalid);
        return new JsonRpcEnvelope
        {
            Kind = kind,
            Id = id,
            Method = method,
            ParamsName = fields.Name,
            ParamsUri = fields.Uri,
            HasCursor = fields.HasCursor,
            IsError = isError,
            HasVersion = versionOk,
            MetaProgressToken = fields.MetaProgressToken,
            ParamsProgressToken = fields.ProgressToken,
            ParamsRequestId = fields.RequestId,
        };
    }

    private static void ReadParams(ref Utf8JsonReader reader, ref ParamsFields fields)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("name"u8))
            {
                fields.Name = ReadString(ref reader);
            }
            else if (reader.ValueTextEquals("uri"u8))
            {
                fields.Uri = ReadString(ref reader);
            }
            else if (reader.ValueTextEquals("cursor"u8))
            {
                fields.HasCursor = true;
                reader.Read();
                reader.Skip();
            }
            else if (reader.ValueTextEquals("progressToken"u8))
            {
                fields.ProgressToken = ReadScalar(ref reader);
            }
            else if (reader.ValueTextEquals("requestId"u8))
            {
                fields.RequestId = ReadScalar(ref reader);
            }
            else if (reader.ValueTextEquals("_meta"u8))
            {
                ReadMeta(ref reader, ref fields);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
    }

    private static void ReadMeta(ref Utf8JsonReader reader, ref ParamsFields fields)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("progressToken"u8))
            {
                fields.MetaProgressToken = ReadScalar(ref reader);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
    }

    /// <summary>A string or number value's raw token range; other values are skipped and yield an empty range.</summary>
    private static Range ReadScalar(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType is JsonTokenType.String or JsonTokenType.Number)
        {
            return new Range((int)reader.TokenStartIndex, (int)reader.BytesConsumed);
        }

        reader.Skip();
        return default;
    }

    private static Range ReadString(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.String)
        {
            return new Range((int)reader.TokenStartIndex, (int)reader.BytesConsumed);
        }

        reader.Skip();
        return default;
    }

    private struct ParamsFields
    {
        public Range Name;
        public Range Uri;
        public bool HasCursor;
        public Range MetaProgressToken;
        public Range ProgressToken;
        public Range RequestId;
    }
}
