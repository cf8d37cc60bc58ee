namespace McpPlatform.Dispatcher.Grpc.Leases;

/// <summary>
/// How many places of one server (or plan) this replica's calls use now, and the most they used in the last two
/// windows: idle places up to that recent peak stay banked even when idle, so a steady load that dips for a moment
/// does not give places back only to reserve them again. Guarded by the bank's lock.
/// </summary>
internal sealed class BankDemand
{
    private int _peak;
    private int _previousPeak;
    private long _windowStart;

    public int InUse { get; private set; }

    public void Use(long now, long window)
    {
        Roll(now, window);
        InUse++;
        _peak = Math.Max(_peak, InUse);
    }

    public void Unuse(long now, long window)
    {
        Roll(now, window);
        InUse = Math.Max(InUse - 1, 0);
    }

    /// <summary>The most places used at once in the current and the previous window.</summary>
    public int RecentPeak(long now, long window)
    {
        Roll(now, window);
        return Math.Max(_peak, _previousPeak);
    }

    private void Roll(long now, long window)
    {
        var elapsed = now - _windowStart;
        if (elapsed < window)
        {
            return;
        }

        _previousPeak = elapsed < 2 * window ? _peak : InUse;
        _peak = InUse;
        _windowStart = now;
    }
}
