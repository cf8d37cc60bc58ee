using System.Text.Json;

namespace McpPlatform.Worker.Host.Pool;

/// <summary>What kind of JSON-RPC message a line holds.</summary>
internal enum JsonRpcKind
{
    Invalid,
    Request,
    Notification,
    Response,
}

/// <summary>
/// The few envelope fields the pool needs, found with one <see cref="Utf8JsonReader"/> pass and kept as
/// byte ranges into the message (no strings, no DOM): the id, the method, <c>params._meta.progressToken</c>,
/// <c>params.progressToken</c> and <c>params.requestId</c>. Everything else is skipped unread.
/// </summary>
internal readonly struct JsonRpcEnvelope
{
    public JsonRpcKind Kind { get; init; }

    /// <summary>The raw id token (quotes included for strings).</summary>
    public Range Id { get; init; }

    /// <summary>The method name's raw token, quotes included.</summary>
    public Range Method { get; init; }

    public Range MetaProgressToken { get; init; }

    public Range ParamsProgressToken { get; init; }

    public Range ParamsRequestId { get; init; }

    public static bool IsPresent(Range range) => range.End.Value > range.Start.Value;

    /// <summary>Compares the method with a quoted UTF-8 literal such as <c>"\"ping\""u8</c>.</summary>
    public bool MethodIs(ReadOnlySpan<byte> message, ReadOnlySpan<byte> quotedMethod) =>
        IsPresent(Method) && message[Method].SequenceEqual(quotedMethod);

    public bool MethodEndsWith(ReadOnlySpan<byte> message, ReadOnlySpan<byte> suffixWithClosingQuote) =>
        IsPresent(Method) && message[Method].EndsWith(suffixWithClosingQuote);

    /// <summary>Parses the envelope; <see cref="JsonRpcKind.Invalid"/> for anything that is not one JSON-RPC object.</summary>
    public static JsonRpcEnvelope Parse(ReadOnlySpan<byte> message)
    {
        try
        {
            return ParseCore(message);
        }
        catch (JsonException)
        {
            return default;
        }
    }

    private static JsonRpcEnvelope ParseCore(ReadOnlySpan<byte> message)
    {
        var reader = new Utf8JsonReader(message, new JsonReaderOptions { MaxDepth = 256 });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return default;
        }

        Range id = default, method = default, metaToken = default, paramsToken = default, requestId = default;
        var hasResult = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("id"u8))
            {
                id = ReadValue(ref reader);
            }
            else if (reader.ValueTextEquals("method"u8))
            {
                method = ReadValue(ref reader);
            }
            else if (reader.ValueTextEquals("params"u8))
            {
                ReadParams(ref reader, ref metaToken, ref paramsToken, ref requestId);
            }
            else if (reader.ValueTextEquals("result"u8) || reader.ValueTextEquals("error"u8))
            {
                hasResult = true;
                reader.Read();
                reader.Skip();
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
        {
            return default;
        }

        var kind = IsPresent(method)
            ? (IsPresent(id) ? JsonRpcKind.Request : JsonRpcKind.Notification)
            : (hasResult && IsPresent(id) ? JsonRpcKind.Response : JsonRpcKind.Invalid);
        return new JsonRpcEnvelope
        {
            Kind = kind,
            Id = id,
            Method = method,
            MetaProgressToken = metaToken,
            ParamsProgressToken = paramsToken,
            ParamsRequestId = requestId,
        };
    }

    private static void ReadParams(ref Utf8JsonReader reader, ref Range metaToken, ref Range paramsToken, ref Range requestId)
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
                paramsToken = ReadValue(ref reader);
            }
            else if (reader.ValueTextEquals("requestId"u8))
            {
                requestId = ReadValue(ref reader);
            }
            else if (reader.ValueTextEquals("_meta"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    reader.Skip();
                    continue;
                }

                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    if (reader.ValueTextEquals("progressToken"u8))
                    {
                        metaToken = ReadValue(ref reader);
                    }
                    else
                    {
                        reader.Read();
                        reader.Skip();
                    }
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
    }

    /// <summary>Reads a scalar id-like value (string or number) and returns its raw token range; other values are skipped.</summary>
    private static Range ReadValue(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType is JsonTokenType.String or JsonTokenType.Number)
        {
            return new Range((int)reader.TokenStartIndex, (int)reader.BytesConsumed);
        }

        reader.Skip();
        return default;
    }
}
