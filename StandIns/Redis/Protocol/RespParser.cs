using System.Buffers.Text;
using System.Text;

namespace McpPlatform.Redis.Protocol;

/// <summary>
/// Parses RESP2 and RESP3 replies from a contiguous buffer. Parsing is two-phase: <see cref="TrySkip"/> checks,
/// without allocating, that a whole reply is present; only then <see cref="Read"/> materialises it. A partial
/// reply therefore costs nothing but a rescan of its headers when more bytes arrive.
/// </summary>
internal static class RespParser
{
    private const int MaxDepth = 64;

    /// <summary>Reads one complete reply starting at <paramref name="buffer"/>[0]; returns false if it is incomplete.</summary>
    public static bool TryRead(ReadOnlySpan<byte> buffer, out RedisResult? result, out int consumed)
    {
        var end = 0;
        if (!TrySkip(buffer, ref end, 0))
        {
            result = null;
            consumed = 0;
            return false;
        }

        var position = 0;
        result = Read(buffer, ref position, 0);
        consumed = position;
        return true;
    }

    private static bool TrySkip(ReadOnlySpan<byte> buffer, ref int position, int depth)
    {
        while (true)
        {
            if (depth > MaxDepth)
            {
                throw new RedisException("The Redis reply nests deeper than 64 levels; the stream is corrupt.");
            }

            if (!TryReadLine(buffer, position, out var line, out var next))
            {
                return false;
            }

            var type = buffer[position];
            switch (type)
            {
                case (byte)'+' or (byte)'-' or (byte)':' or (byte)',' or (byte)'#' or (byte)'(' or (byte)'_':
                    position = next;
                    return true;
                case (byte)'$' or (byte)'=' or (byte)'!':
                    {
                        var length = ParseLength(line);
                        if (length < 0)
                        {
                            position = next;
                            return true;
                        }

                        if ((long)next + length + 2 > buffer.Length)
                        {
                            return false;
                        }

                        position = next + (int)length + 2;
                        return true;
                    }

                case (byte)'*' or (byte)'~' or (byte)'>' or (byte)'%' or (byte)'|':
                    {
                        var count = ParseLength(line);
                        position = next;
                        if (count < 0)
                        {
                            return true;
                        }

                        if (type is (byte)'%' or (byte)'|')
                        {
                            count *= 2;
                        }

                        for (var i = 0; i < count; i++)
                        {
                            if (!TrySkip(buffer, ref position, depth + 1))
                            {
                                return false;
                            }
                        }

                        if (type == (byte)'|')
                        {
                            // An attribute precedes the reply it describes: skip it and go on to the reply.
                            continue;
                        }

                        return true;
                    }

                default:
                    throw new RedisException($"Unexpected RESP type byte 0x{type:X2}; the stream is corrupt.");
            }
        }
    }

    private static RedisResult Read(ReadOnlySpan<byte> buffer, ref int position, int depth)
    {
        while (true)
        {
            TryReadLine(buffer, position, out var line, out var next);
            var type = buffer[position];
            position = next;
            switch (type)
            {
                case (byte)'+':
                    return line.SequenceEqual("OK"u8) ? RedisResult.Ok : RedisResult.Scalar(RedisResultType.SimpleString, Encoding.UTF8.GetString(line));
                case (byte)'-':
                    return RedisResult.Scalar(RedisResultType.Error, Encoding.UTF8.GetString(line));
                case (byte)':':
                    return RedisResult.Integer(ParseLength(line));
                case (byte)',':
                    return RedisResult.Scalar(RedisResultType.Double, ParseDouble(line));
                case (byte)'#':
                    return RedisResult.Scalar(RedisResultType.Boolean, line.Length == 1 && line[0] == (byte)'t' ? 1 : 0);
                case (byte)'(':
                    return RedisResult.Scalar(RedisResultType.BigNumber, Encoding.ASCII.GetString(line));
                case (byte)'_':
                    return RedisResult.NullResult;
                case (byte)'$' or (byte)'=' or (byte)'!':
                    {
                        var length = (int)ParseLength(line);
                        if (length < 0)
                        {
                            return RedisResult.NullResult;
                        }

                        var payload = buffer.Slice(position, length);
                        position += length + 2;
                        if (type == (byte)'!')
                        {
                            return RedisResult.Scalar(RedisResultType.Error, Encoding.UTF8.GetString(payload));
                        }

                        // A verbatim string starts with a three-letter format and a colon ("txt:").
                        if (type == (byte)'=' && payload.Length >= 4)
                        {
                            payload = payload[4..];
                        }

                        return RedisResult.Scalar(RedisResultType.BulkString, payload.ToArray());
                    }

                default:
                    {
                        var count = (int)ParseLength(line);
                        if (count < 0)
                        {
                            return RedisResult.NullResult;
                        }

                        var itemCount = type is (byte)'%' or (byte)'|' ? count * 2 : count;
                        var items = itemCount == 0 ? [] : new RedisResult[itemCount];
                        for (var i = 0; i < itemCount; i++)
                        {
                            items[i] = Read(buffer, ref position, depth + 1);
                        }

                        if (type == (byte)'|')
                        {
                            continue;
                        }

                        var kind = type switch
                        {
                            (byte)'%' => RedisResultType.Map,
                            (byte)'~' => RedisResultType.Set,
                            (byte)'>' => RedisResultType.Push,
                            _ => RedisResultType.Array,
                        };
                        return RedisResult.Aggregate(kind, items);
                    }
            }
        }
    }

    private static bool TryReadLine(ReadOnlySpan<byte> buffer, int position, out ReadOnlySpan<byte> line, out int next)
    {
        if (position >= buffer.Length)
        {
            line = default;
            next = 0;
            return false;
        }

        var index = buffer[(position + 1)..].IndexOf((byte)'\n');
        if (index < 1)
        {
            line = default;
            next = 0;
            return false;
        }

        // The line is the bytes between the type byte and "\r\n".
        line = buffer.Slice(position + 1, index - 1);
        next = position + 1 + index + 1;
        return true;
    }

    private static long ParseLength(ReadOnlySpan<byte> line)
    {
        if (Utf8Parser.TryParse(line, out long value, out var consumed) && consumed == line.Length)
        {
            return value;
        }

        throw new RedisException("A RESP length or integer is malformed; the stream is corrupt.");
    }

    private static double ParseDouble(ReadOnlySpan<byte> line)
    {
        if (line.SequenceEqual("inf"u8))
        {
            return double.PositiveInfinity;
        }

        if (line.SequenceEqual("-inf"u8))
        {
            return double.NegativeInfinity;
        }

        return Utf8Parser.TryParse(line, out double value, out _) ? value : double.NaN;
    }
}
