namespace McpPlatform.Bench.Gateway.Client;

/// <summary>How one tools/call ended, judged against the request that was sent.</summary>
public enum CallStatus
{
    /// <summary>The answer carried the request's id and echoed its unique payload.</summary>
    Ok,

    /// <summary>An answer arrived but belongs to another request (other id or other payload).</summary>
    Wrong,

    /// <summary>A JSON-RPC error, an isError result or an HTTP error status.</summary>
    Error,

    /// <summary>No answer within the call timeout, or the connection ended without one.</summary>
    Lost,
}

/// <summary>The outcome of one call: its status and, for anything but Ok, what was seen.</summary>
public readonly record struct CallOutcome(CallStatus Status, string? Detail = null)
{
    public static readonly CallOutcome Success = new(CallStatus.Ok);

    public static CallOutcome Failed(string detail) => new(CallStatus.Error, detail);

    public static CallOutcome Lost(string detail) => new(CallStatus.Lost, detail);

    public static CallOutcome Wrong(string detail) => new(CallStatus.Wrong, detail);

    public override string ToString() => Detail is null ? Status.ToString() : $"{Status}: {Detail}";
}
