using System.Globalization;

namespace McpPlatform.Redis;

/// <summary>
/// One reply from Redis: a scalar (<see cref="Value"/>) or an aggregate (<see cref="Items"/>).
/// Aggregates of RESP3 (maps, sets, pushes) keep their items flat, maps alternating key and value.
/// </summary>
public sealed class RedisResult
{
    private static readonly RedisResult[] SmallIntegers = CreateSmallIntegers();

    internal static readonly RedisResult Ok = new(RedisResultType.SimpleString, "OK", null);
    internal static readonly RedisResult NullResult = new(RedisResultType.Null, RedisValue.Null, null);
    internal static readonly RedisResult EmptyArray = new(RedisResultType.Array, RedisValue.Null, []);

    internal RedisResult(RedisResultType type, RedisValue value, RedisResult[]? items)
    {
        Type = type;
        Value = value;
        Items = items ?? [];
    }

    /// <summary>The reply's RESP type.</summary>
    public RedisResultType Type { get; }

    /// <summary>The scalar value (null for aggregates and nil replies).</summary>
    public RedisValue Value { get; }

    /// <summary>The items of an aggregate reply (empty for scalars).</summary>
    public IReadOnlyList<RedisResult> Items { get; }

    /// <summary>True for a nil reply.</summary>
    public bool IsNull => Type == RedisResultType.Null;

    /// <summary>True for arrays, maps, sets and pushes.</summary>
    public bool IsAggregate => Type is RedisResultType.Array or RedisResultType.Map or RedisResultType.Set or RedisResultType.Push;

    /// <summary>The item at <paramref name="index"/> of an aggregate reply.</summary>
    public RedisResult this[int index] => Items[index];

    /// <summary>The scalar as an integer (RESP3 booleans count as 0 or 1).</summary>
    public long ToInt64() => Type == RedisResultType.Boolean ? (Value.ToInt64()) : Value.ToInt64();

    /// <summary>The scalar as a double.</summary>
    public double ToDouble() => Value.ToDouble();

    /// <summary>The scalar as a boolean: integer 1, RESP3 true, or "OK".</summary>
    public bool ToBoolean() => Type switch
    {
        RedisResultType.Integer or RedisResultType.Boolean => Value.ToInt64() != 0,
        RedisResultType.SimpleString => Value.ToString() == "OK",
        RedisResultType.Null => false,
        _ => Value.ToInt64() != 0,
    };

    /// <summary>The scalar as text, or null for a nil reply.</summary>
    public string? ToStringOrNull() => IsNull ? null : Value.ToString();

    /// <summary>A readable form of the reply, for logs and tests.</summary>
    public override string ToString() => IsAggregate
        ? "[" + string.Join(", ", Items.Select(item => item.ToString())) + "]"
        : IsNull ? "(nil)" : Value.ToString();

    internal static RedisResult Integer(long value) =>
        value is >= -1 and < 255 ? SmallIntegers[value + 1] : new RedisResult(RedisResultType.Integer, value, null);

    internal static RedisResult Aggregate(RedisResultType type, RedisResult[] items) =>
        items.Length == 0 && type == RedisResultType.Array ? EmptyArray : new RedisResult(type, RedisValue.Null, items);

    internal static RedisResult Scalar(RedisResultType type, RedisValue value) => new(type, value, null);

    internal static string Describe(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static RedisResult[] CreateSmallIntegers()
    {
        var results = new RedisResult[256];
        for (var i = 0; i < results.Length; i++)
        {
            results[i] = new RedisResult(RedisResultType.Integer, i - 1, null);
        }

        return results;
    }
}
