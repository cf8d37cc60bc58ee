namespace McpPlatform.Redis;

/// <summary>Turns replies whose shape differs between RESP2 and RESP3 (maps, sets) into one .NET shape.</summary>
internal static class ReplyShapes
{
    public static Dictionary<string, RedisValue> ToDictionary(RedisResult reply)
    {
        var items = reply.Items;
        var result = new Dictionary<string, RedisValue>(items.Count / 2, StringComparer.Ordinal);
        for (var i = 0; i + 1 < items.Count; i += 2)
        {
            result[items[i].Value.ToString()] = items[i + 1].Value;
        }

        return result;
    }

    public static KeyValuePair<string, RedisValue>[] ToPairs(RedisResult reply)
    {
        var items = reply.Items;
        var result = new KeyValuePair<string, RedisValue>[items.Count / 2];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = new(items[2 * i].Value.ToString(), items[(2 * i) + 1].Value);
        }

        return result;
    }

    public static RedisValue[] ToValues(RedisResult reply)
    {
        var items = reply.Items;
        var result = new RedisValue[items.Count];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = items[i].Value;
        }

        return result;
    }
}
