namespace McpPlatform.Stores.Concurrency;

/// <summary>
/// One held slot of a concurrency limit. Dispose (or <see cref="IConcurrencyLimiter.ReleaseAsync"/>) when the work
/// ends; a holder that crashes loses the slot when the lease time runs out. Renew long work before that.
/// </summary>
public sealed class ConcurrencyLease : IAsyncDisposable
{
    private readonly IConcurrencyLimiter _owner;
    private int _released;

    internal ConcurrencyLease(IConcurrencyLimiter owner, string key, string id, TimeSpan leaseTime)
    {
        _owner = owner;
        Key = key;
        Id = id;
        LeaseTime = leaseTime;
    }

    /// <summary>What is limited.</summary>
    public string Key { get; }

    /// <summary>The lease's unique id.</summary>
    public string Id { get; }

    /// <summary>How long the lease lives without a renewal.</summary>
    public TimeSpan LeaseTime { get; }

    internal bool MarkReleased() => Interlocked.Exchange(ref _released, 1) == 0;

    /// <summary>Releases the slot (once).</summary>
    public ValueTask DisposeAsync() => _owner.ReleaseAsync(this, CancellationToken.None);
}
