namespace McpPlatform.Access.Api.Data;

/// <summary>How a write ended, when it can end in more than one way that the caller must answer differently.</summary>
internal enum StoreOutcome
{
    Done,
    NotFound,
    Conflict,
    UnknownPlan,
    InUse,
}

/// <summary>A write's outcome and, when done, its row.</summary>
internal sealed record StoreResult<T>(StoreOutcome Outcome, T? Value = default)
{
    public static StoreResult<T> Done(T value) => new(StoreOutcome.Done, value);

    public static implicit operator StoreResult<T>(StoreOutcome outcome) => new(outcome);
}
