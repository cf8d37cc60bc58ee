namespace McpPlatform.Stores;

/// <summary>
/// Settings shared by the stores, bound from the "Stores" section:
/// <code>
/// "Stores": { "KeyPrefix": "mcp:", "SessionIdleTimeout": "00:30:00", "EventLogMaxLength": 10000, "EventLogRetention": "01:00:00", "RequestStreamRetention": "00:10:00" }
/// </code>
/// </summary>
public sealed class StoreOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Stores";

    /// <summary>Prefix of every Redis key the stores write, so several deployments can share one Redis. Default "mcp:".</summary>
    public string KeyPrefix { get; set; } = "mcp:";

    /// <summary>A session not used for this long expires (sliding). Default 30 minutes.</summary>
    public TimeSpan SessionIdleTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Each session event stream is capped at about this many entries on append. Default 10,000.</summary>
    public int EventLogMaxLength { get; set; } = 10_000;

    /// <summary>An event stream nobody appends to is dropped after this long. Default 1 hour.</summary>
    public TimeSpan EventLogRetention { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// A request's own stream (the logged SSE answer of one POST, which a client may resume through GET) is dropped this
    /// long after its last append. Such streams are not listed under their session (a session can answer thousands of
    /// requests), so they are not deleted with it: this is their only cleanup. Default 10 minutes.
    /// </summary>
    public TimeSpan RequestStreamRetention { get; set; } = TimeSpan.FromMinutes(10);

    internal IEnumerable<string> Validate()
    {
        if (string.IsNullOrWhiteSpace(KeyPrefix))
        {
            yield return "Stores:KeyPrefix must not be empty.";
        }

        if (SessionIdleTimeout < TimeSpan.FromSeconds(1))
        {
            yield return "Stores:SessionIdleTimeout must be at least one second.";
        }

        if (EventLogMaxLength < 1)
        {
            yield return "Stores:EventLogMaxLength must be at least 1.";
        }

        if (EventLogRetention < TimeSpan.FromSeconds(1))
        {
            yield return "Stores:EventLogRetention must be at least one second.";
        }

        if (RequestStreamRetention < TimeSpan.FromSeconds(1))
        {
            yield return "Stores:RequestStreamRetention must be at least one second.";
        }
    }
}
