namespace McpPlatform.Redis;

/// <summary>The RESP2/RESP3 type of a reply.</summary>
public enum RedisResultType
{
    /// <summary>A nil reply (RESP2 <c>$-1</c>/<c>*-1</c>, RESP3 <c>_</c>).</summary>
    Null,

    /// <summary>A simple string (<c>+OK</c>).</summary>
    SimpleString,

    /// <summary>An error (<c>-ERR …</c>); only seen inside aggregates, top-level errors are thrown.</summary>
    Error,

    /// <summary>An integer (<c>:</c>).</summary>
    Integer,

    /// <summary>A bulk string (<c>$</c>), or a RESP3 verbatim string (<c>=</c>).</summary>
    BulkString,

    /// <summary>An array (<c>*</c>).</summary>
    Array,

    /// <summary>A RESP3 double (<c>,</c>).</summary>
    Double,

    /// <summary>A RESP3 boolean (<c>#</c>).</summary>
    Boolean,

    /// <summary>A RESP3 big number (<c>(</c>).</summary>
    BigNumber,

    /// <summary>A RESP3 map (<c>%</c>); its items alternate key and value.</summary>
    Map,

    /// <summary>A RESP3 set (<c>~</c>).</summary>
    Set,

    /// <summary>A RESP3 push (<c>&gt;</c>): out-of-band data such as pub/sub messages.</summary>
    Push,
}
