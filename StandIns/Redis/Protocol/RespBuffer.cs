using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace McpPlatform.Redis.Protocol;

/// <summary>A growable output buffer rented from the shared pool, into which commands are encoded as RESP.</summary>
internal sealed class RespBuffer : IDisposable
{
    private byte[] _array;
    private int _length;

    public RespBuffer(int initialCapacity = 16 * 1024) => _array = ArrayPool<byte>.Shared.Rent(initialCapacity);

    public int Length => _length;

    public ReadOnlyMemory<byte> WrittenMemory => _array.AsMemory(0, _length);

    public void Clear() => _length = 0;

    /// <summary>Returns an oversized array to the pool after a large command, so one 16 MiB value does not pin 16 MiB forever.</summary>
    public void ShrinkIfLarge(int limit = 1024 * 1024)
    {
        if (_array.Length > limit && _length == 0)
        {
            ArrayPool<byte>.Shared.Return(_array);
            _array = ArrayPool<byte>.Shared.Rent(16 * 1024);
        }
    }

    public void WriteCommand(string name, ReadOnlySpan<RedisValue> args)
    {
        WriteHeader((byte)'*', args.Length + 1);
        WriteAsciiBulk(name);
        foreach (var arg in args)
        {
            WriteValue(arg);
        }
    }

    private void WriteValue(in RedisValue value)
    {
        if (value.IsBytes)
        {
            WriteBulk(value.RawBytes.Span);
        }
        else if (value.IsString)
        {
            var text = value.RawString!;
            var count = Encoding.UTF8.GetByteCount(text);
            WriteHeader((byte)'$', count);
            var span = GetSpan(count + 2);
            Encoding.UTF8.GetBytes(text, span);
            span[count] = (byte)'\r';
            span[count + 1] = (byte)'\n';
            _length += count + 2;
        }
        else if (value.IsInteger)
        {
            Span<byte> digits = stackalloc byte[20];
            Utf8Formatter.TryFormat(value.RawInteger, digits, out var written);
            WriteBulk(digits[..written]);
        }
        else if (value.IsDouble)
        {
            var number = value.RawDouble;
            var text = double.IsPositiveInfinity(number) ? "+inf"
                : double.IsNegativeInfinity(number) ? "-inf"
                : number.ToString("R", CultureInfo.InvariantCulture);
            WriteAsciiBulk(text);
        }
        else
        {
            WriteBulk([]);
        }
    }

    private void WriteAsciiBulk(string text)
    {
        WriteHeader((byte)'$', text.Length);
        var span = GetSpan(text.Length + 2);
        for (var i = 0; i < text.Length; i++)
        {
            span[i] = (byte)text[i];
        }

        span[text.Length] = (byte)'\r';
        span[text.Length + 1] = (byte)'\n';
        _length += text.Length + 2;
    }

    private void WriteBulk(ReadOnlySpan<byte> bytes)
    {
        WriteHeader((byte)'$', bytes.Length);
        var span = GetSpan(bytes.Length + 2);
        bytes.CopyTo(span);
        span[bytes.Length] = (byte)'\r';
        span[bytes.Length + 1] = (byte)'\n';
        _length += bytes.Length + 2;
    }

    private void WriteHeader(byte prefix, int count)
    {
        var span = GetSpan(24);
        span[0] = prefix;
        Utf8Formatter.TryFormat(count, span[1..], out var written);
        span[written + 1] = (byte)'\r';
        span[written + 2] = (byte)'\n';
        _length += written + 3;
    }

    private Span<byte> GetSpan(int size)
    {
        if (_length + size > _array.Length)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(_array.Length * 2, _length + size));
            _array.AsSpan(0, _length).CopyTo(bigger);
            ArrayPool<byte>.Shared.Return(_array);
            _array = bigger;
        }

        return _array.AsSpan(_length);
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_array);
        _array = [];
    }
}
