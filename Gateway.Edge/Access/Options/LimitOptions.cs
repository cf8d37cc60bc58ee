namespace McpPlatform.Gateway.Edge.Access.Options;

/// <summary>
/// Allotments: a replica takes several rate permits and quota units from Redis in one script call and hands them to
/// the calls of that subject from memory, so a busy key costs a round trip per chunk instead of per call. A subject
/// starts at one (exactly one script call per call, as without allotments) and doubles while it uses its allotments up
/// within the window, so only busy subjects of high-rate plans ever hold more than one.
/// </summary>
/// <remarks>
/// <code>
/// "Gateway": { "Access": { "Limits": { "Allotments": true, "AllotmentWindow": "00:00:00.100", "MaxAllotment": 256 } } }
/// </code>
/// </remarks>
public sealed class LimitOptions
{
    /// <summary>False: every call takes exactly one permit and one unit from Redis (one script call per call). Default true.</summary>
    public bool Allotments { get; set; } = true;

    /// <summary>
    /// How long reserved permits and units are used before the rest is dropped (permits) or given back (units); also
    /// the longest a changed plan's old allotment keeps answering. A chunk of k permits is taken only while the bucket
    /// keeps a window's worth of rate free beyond it, so using a permit up to a window late never lets more through
    /// than GCRA would. Default 100 ms; 1 ms to 1 s.
    /// </summary>
    public TimeSpan AllotmentWindow { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// The largest chunk (permits or units) one script call takes. A plan's chunk is further capped at half of what
    /// its rate gives in a window, and a quota chunk at 1/32 of the quota left. Default 256; 1 to 10,000 (1: off).
    /// </summary>
    public int MaxAllotment { get; set; } = 256;
}
