namespace McpPlatform.Dispatcher.Grpc.Options;

/// <summary>
/// The lease bank of relayed calls ("Dispatcher:LeaseBank"). Defaults shown:
/// <code>
/// "LeaseBank": {
///   "Enabled": true,                // false: every relayed call takes and returns its lease in Redis, as before
///   "MaxBlock": 16,                 // most slot places reserved in one script (a queue's demand, capped)
///   "IdleReturn": "00:00:00.100",   // a place unused this long goes back to Redis for other replicas
///   "ExactPlanLimit": 4             // plans with at most this many concurrent jobs return their place at once
/// }
/// </code>
/// </summary>
public sealed class LeaseBankOptions
{
    /// <summary>Whether relayed calls lease from this replica's bank. Default true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Most slot places one reservation takes. A call that finds the bank empty reserves as many as its server's
    /// queue holds (at least one, at most this), so a burst costs one script rather than one per call. Default 16.
    /// </summary>
    public int MaxBlock { get; set; } = 16;

    /// <summary>
    /// A banked place that no call used for this long is given back to Redis, so another replica's calls get the
    /// capacity this one no longer needs (it polls every QueuePollInterval). Slot places up to the most this replica
    /// used at once in the last one to two windows of ten IdleReturn stay, so a momentary dip of a steady load
    /// costs no give-back and re-reservation. Default 100 ms.
    /// </summary>
    public TimeSpan IdleReturn { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Plans allowing at most this many concurrent jobs do not keep idle plan places: the place goes back to Redis
    /// when the call ends, so a tenant's next call on another replica is never refused for a place this replica
    /// merely holds (with a limit of 1 that refusal would be the norm). Larger plans keep idle places like slots.
    /// Default 4; 0 keeps every plan's places.
    /// </summary>
    public int ExactPlanLimit { get; set; } = 4;

    internal IEnumerable<string> Validate()
    {
        if (MaxBlock is < 1 or > 1000)
        {
            yield return "Dispatcher:LeaseBank:MaxBlock must be between 1 and 1000.";
        }

        if (IdleReturn < TimeSpan.FromMilliseconds(10) || IdleReturn > TimeSpan.FromSeconds(10))
        {
            yield return "Dispatcher:LeaseBank:IdleReturn must be between 10 ms and 10 s (it is how long other replicas may wait for capacity this one does not use).";
        }

        if (ExactPlanLimit < 0)
        {
            yield return "Dispatcher:LeaseBank:ExactPlanLimit must not be negative (0 banks every plan's places).";
        }
    }
}
