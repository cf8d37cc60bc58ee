using System.Globalization;
using System.Text;

namespace McpPlatform.Redis;

/// <summary>
/// A value sent to or received from Redis: a string, a byte sequence, an integer, a double, or null.
/// It converts implicitly from the common .NET types, as StackExchange.Redis's <c>RedisValue</c> does.
/// </summary>
public readonly struct RedisValue : IEquatable<RedisValue>
{
    private readonly object? _object;
    private readonly long _number;
    private readonly Kind _kind;

    private RedisValue(object? obj, long number, Kind kind)
    {
        _object = obj;
        _number = number;
        _kind = kind;
    }

    /// <summary>The null value (a Redis nil reply, or an absent argument).</summary>
    public static RedisValue Null => default;

    /// <summary>True when this value is null (a nil reply).</summary>
    public bool IsNull => _kind == Kind.Null;

    /// <summary>True when this value holds an integer.</summary>
    public bool IsInteger => _kind == Kind.Integer;

    internal bool IsBytes => _kind == Kind.Bytes;

    internal bool IsString => _kind == Kind.String;

    internal bool IsDouble => _kind == Kind.Double;

    internal string? RawString => _object as string;

    internal long RawInteger => _number;

    internal double RawDouble => BitConverter.Int64BitsToDouble(_number);

    internal ReadOnlyMemory<byte> RawBytes => _object is byte[] array ? array.AsMemory((int)(_number >> 32), (int)_number) : default;

    /// <summary>Creates a value from a byte range without copying it; the caller must not change the bytes afterwards.</summary>
    public static RedisValue FromBytes(byte[] array, int offset, int count)
    {
        ArgumentNullException.ThrowIfNull(array);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(offset + count, array.Length);
        return new RedisValue(array, ((long)offset << 32) | (uint)count, Kind.Bytes);
    }

    /// <summary>Converts a string (null becomes <see cref="Null"/>).</summary>
    public static implicit operator RedisValue(string? value) => value is null ? Null : new RedisValue(value, 0, Kind.String);

    /// <summary>Converts a byte array without copying it (null becomes <see cref="Null"/>).</summary>
    public static implicit operator RedisValue(byte[]? value) => value is null ? Null : FromBytes(value, 0, value.Length);

    /// <summary>Converts an integer.</summary>
    public static implicit operator RedisValue(long value) => new(null, value, Kind.Integer);

    /// <summary>Converts an integer.</summary>
    public static implicit operator RedisValue(int value) => new(null, value, Kind.Integer);

    /// <summary>Converts a double (sent in its shortest round-trip form).</summary>
    public static implicit operator RedisValue(double value) => new(null, BitConverter.DoubleToInt64Bits(value), Kind.Double);

    /// <summary>The value as UTF-8 text, or null.</summary>
    public static implicit operator string?(RedisValue value) => value.IsNull ? null : value.ToString();

    /// <summary>The value as bytes (a copy unless it already is a whole array), or null.</summary>
    public static explicit operator byte[]?(RedisValue value) => value.ToBytes();

    /// <summary>The value as an integer.</summary>
    public static explicit operator long(RedisValue value) => value.ToInt64();

    /// <summary>The value as bytes; null for <see cref="Null"/>.</summary>
    public byte[]? ToBytes()
    {
        switch (_kind)
        {
            case Kind.Null:
                return null;
            case Kind.Bytes:
                var array = (byte[])_object!;
                var memory = RawBytes;
                return memory.Length == array.Length ? array : memory.ToArray();
            default:
                return Encoding.UTF8.GetBytes(ToString());
        }
    }

    /// <summary>The value as a read-only byte span (empty for null).</summary>
    public ReadOnlyMemory<byte> AsMemory() => _kind == Kind.Bytes ? RawBytes : (ToBytes() ?? []);

    /// <summary>Parses the value as a 64-bit integer; throws <see cref="FormatException"/> when it is not one.</summary>
    public long ToInt64()
    {
        if (TryParseInt64(out var result))
        {
            return result;
        }

        throw new FormatException($"The Redis value '{Truncate(ToString())}' is not an integer.");
    }

    /// <summary>Parses the value as a 64-bit integer.</summary>
    public bool TryParseInt64(out long result)
    {
        switch (_kind)
        {
            case Kind.Integer:
                result = _number;
                return true;
            case Kind.Bytes:
                return System.Buffers.Text.Utf8Parser.TryParse(RawBytes.Span, out result, out var consumed) && consumed == RawBytes.Length;
            case Kind.String:
                return long.TryParse((string)_object!, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out result);
            default:
                result = 0;
                return false;
        }
    }

    /// <summary>Parses the value as a double; throws <see cref="FormatException"/> when it is not one.</summary>
    public double ToDouble() => _kind switch
    {
        Kind.Double => RawDouble,
        Kind.Integer => _number,
        _ => double.Parse(ToString(), NumberStyles.Float, CultureInfo.InvariantCulture),
    };

    /// <summary>The value as UTF-8 text; the empty string for null.</summary>
    public override string ToString() => _kind switch
    {
        Kind.Null => string.Empty,
        Kind.String => (string)_object!,
        Kind.Integer => _number.ToString(CultureInfo.InvariantCulture),
        Kind.Double => RawDouble.ToString("R", CultureInfo.InvariantCulture),
        _ => Encoding.UTF8.GetString(RawBytes.Span),
    };

    /// <inheritdoc />
    public bool Equals(RedisValue other)
    {
        if (IsNull || other.IsNull)
        {
            return IsNull && other.IsNull;
        }

        return AsMemory().Span.SequenceEqual(other.AsMemory().Span);
    }

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is RedisValue other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(AsMemory().Span);
        return hash.ToHashCode();
    }

    /// <summary>Compares two values by content.</summary>
    public static bool operator ==(RedisValue left, RedisValue right) => left.Equals(right);

    /// <summary>Compares two values by content.</summary>
    public static bool operator !=(RedisValue left, RedisValue right) => !left.Equals(right);

    private static string Truncate(string text) => text.Length <= 32 ? text : text[..32] + "…";

    private enum Kind : byte
    {
        Null,
        String,
        Bytes,
        Integer,
        Double,
    }
}
