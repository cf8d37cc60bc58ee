using System.Buffers.Text;
using System.Buffers;
using McpPlatform.Protocol.JsonRpc;

namespace McpPlatform.Worker.Host.Pool;

/// <summary>
/// Rewrites a message by replacing up to two raw token ranges (an id, a progress token) without
/// re-serialising anything else, into a pooled buffer.
/// </summary>
internal static class JsonRpcSplicer
{
    /// <summary>The upstream progress-token namespace: <c>"w{upstream request id}"</c>, unique per process.</summary>
    private const byte TokenPrefix = (byte)'w';

    public static RpcMessage Splice(ReadOnlySpan<byte> source, Range first, ReadOnlySpan<byte> firstValue, Range second, ReadOnlySpan<byte> secondValue)
    {
        var hasSecond = JsonRpcEnvelope.IsPresent(second);
        if (hasSecond && second.Start.Value < first.Start.Value)
        {
            (first, second) = (second, first);
            var swap = firstValue;
            firstValue = secondValue;
            secondValue = swap;
        }

        var (firstStart, firstEnd) = (first.Start.Value, first.End.Value);
        var length = source.Length - (firstEnd - firstStart) + firstValue.Length;
        if (hasSecond)
        {
            length += secondValue.Length - (second.End.Value - second.Start.Value);
        }

        var buffer = ArrayPool<byte>.Shared.Rent(length);
        var output = buffer.AsSpan();
        var written = 0;
        Append(output, ref written, source[..firstStart]);
        Append(output, ref written, firstValue);
        if (hasSecond)
        {
            Append(output, ref written, source[firstEnd..second.Start.Value]);
            Append(output, ref written, secondValue);
            Append(output, ref written, source[second.End.Value..]);
        }
        else
        {
            Append(output, ref written, source[firstEnd..]);
        }

        return new RpcMessage(buffer, written);
    }

    public static RpcMessage Splice(ReadOnlySpan<byte> source, Range range, ReadOnlySpan<byte> value) =>
        Splice(source, range, value, default, default);

    /// <summary>Formats an upstream id as a JSON number; returns the bytes written.</summary>
    public static int FormatId(long id, Span<byte> destination) =>
        Utf8Formatter.TryFormat(id, destination, out var written) ? written : throw new ArgumentException("Destination too small.", nameof(destination));

    /// <summary>Formats <c>"w{id}"</c>; returns the bytes written.</summary>
    public static int FormatToken(long id, Span<byte> destination)
    {
        destination[0] = (byte)'"';
        destination[1] = TokenPrefix;
        var digits = FormatId(id, destination[2..]);
        destination[2 + digits] = (byte)'"';
        return digits + 3;
    }

    /// <summary>Reads an upstream id from a raw number token.</summary>
    public static bool TryParseId(ReadOnlySpan<byte> raw, out long id) =>
        Utf8Parser.TryParse(raw, out id, out var consumed) && consumed == raw.Length;

    /// <summary>Reads the upstream id out of a raw <c>"w{id}"</c> progress token.</summary>
    public static bool TryParseToken(ReadOnlySpan<byte> raw, out long id)
    {
        id = 0;
        return raw.Length > 3 && raw[0] == (byte)'"' && raw[1] == TokenPrefix && raw[^1] == (byte)'"' && TryParseId(raw[2..^1], out id);
    }

    private static void Append(Span<byte> output, ref int written, ReadOnlySpan<byte> part)
    {
        part.CopyTo(output[written..]);
        written += part.Length;
    }
}
