using System.Text;
using System.Text.Json;

namespace McpPlatform.Protocol.JsonRpc;

/// <summary>
/// The envelope fields the platform routes by, found with one <see cref="Utf8JsonReader"/> pass and kept as byte
/// ranges into the message (no strings, no DOM): the id, the method, <c>params.name</c>, <c>params.uri</c>,
/// <c>params.cursor</c>, <c>params._meta.progressToken</c>, <c>params.progressToken</c> and <c>params.requestId</c>.
/// Everything else is skipped unread, so the message travels on verbatim.
/// </summary>
/// <remarks>Ranges index the buffer that was parsed; pass the same buffer to the accessors.</remarks>
public readonly struct JsonRpcEnvelope
{
    public JsonRpcKind Kind { get; init; }

    /// <summary>The raw id token (quotes included for strings); absent for notifications.</summary>
    public Range Id { get; init; }

    /// <summary>The method name's raw token, quotes included.</summary>
    public Range Method { get; init; }

    /// <summary><c>params.name</c> (the tool of <c>tools/call</c>, the prompt of <c>prompts/get</c>), quotes included.</summary>
    public Range ParamsName { get; init; }

    /// <summary><c>params.uri</c> (the resource of <c>resources/read</c> and subscriptions), quotes included.</summary>
    public Range ParamsUri { get; init; }

    /// <summary>True when <c>params.cursor</c> is present: a list request for a later page.</summary>
    public bool HasCursor { get; init; }

    /// <summary>
    /// True when <c>"jsonrpc":"2.0"</c> is present. Not part of <see cref="Kind"/>: the gateway rejects client
    /// messages without it, while the worker tolerates servers that leave it out.
    /// </summary>
    public bool HasVersion { get; init; }

    /// <summary>True when the message has an <c>error</c> member (responses only).</summary>
    public bool IsError { get; init; }

    public Range MetaProgressToken { get; init; }

    public Range ParamsProgressToken { get; init; }

    public Range ParamsRequestId { get; init; }

    public static bool IsPresent(Range range) => range.End.Value > range.Start.Value;

    /// <summary>Compares the method with a quoted UTF-8 literal such as <c>"\"ping\""u8</c>.</summary>
    public bool MethodIs(ReadOnlySpan<byte> message, ReadOnlySpan<byte> quotedMethod) =>
        IsPresent(Method) && message[Method].SequenceEqual(quotedMethod);

    /// <summary>Compares the end of the method with a UTF-8 literal that includes the closing quote, e.g. <c>"list_changed\""u8</c>.</summary>
    public bool MethodEndsWith(ReadOnlySpan<byte> message, ReadOnlySpan<byte> suffixWithClosingQuote) =>
        IsPresent(Method) && message[Method].EndsWith(suffixWithClosingQuote);

    /// <summary>The method as a string (unescaped), or null.</summary>
    public string? GetMethod(ReadOnlySpan<byte> message) => StringAt(message, Method);

    /// <summary><c>params.name</c> as a string, or null.</summary>
    public string? GetParamsName(ReadOnlySpan<byte> message) => StringAt(message, ParamsName);

    /// <summary><c>params.uri</c> as a string, or null.</summary>
    public string? GetParamsUri(ReadOnlySpan<byte> message) => StringAt(message, ParamsUri);

    /// <summary>The raw id bytes, or an empty span when the message has none.</summary>
    public ReadOnlySpan<byte> RawId(ReadOnlySpan<byte> message) => IsPresent(Id) ? message[Id] : default;

    /// <summary>Parses the envelope; <see cref="JsonRpcKind.Invalid"/> for anything that is not one JSON-RPC object.</summary>
    public static JsonRpcEnvelope Parse(ReadOnlySpan<byte> message)
    {
        try
        {
            return JsonRpcEnvelopeReader.Read(message);
        }
        catch (JsonException)
        {
            return default;
        }
    }

    /// <summary>A string token's value: JSON escapes resolved, so <c>"a\u0062"</c> reads as <c>ab</c>.</summary>
    private static string? StringAt(ReadOnlySpan<byte> message, Range range)
    {
        if (!IsPresent(range))
        {
            return null;
        }

        var token = message[range];
        if (token.Length < 2 || token[0] != (byte)'"')
        {
            return null;
        }

        if (token.IndexOf((byte)'\\') < 0)
        {
            return Encoding.UTF8.GetString(token[1..^1]);
        }

        var reader = new Utf8JsonReader(token);
        reader.Read();
        return reader.GetString();
    }
}
