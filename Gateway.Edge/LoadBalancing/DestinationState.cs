namespace McpPlatform.Gateway.Edge.LoadBalancing;

/// <summary>
/// One replica's address and what the edge knows about its health: the last active probe, and
/// passive evidence (consecutive connect failures of real traffic).
/// </summary>
public sealed class DestinationState
{
    private readonly TimeProvider _time;
    private int _activeHealth; // 0 unknown, 1 healthy, -1 unhealthy
    private int _connectFailures;
    private long _passiveUnhealthyAt; // a TimeProvider timestamp; 0 when passive health has nothing against it

    internal DestinationState(Uri address, TimeProvider time)
    {
        Address = address;
        _time = time;
    }

    /// <summary>The replica's base address (from <c>services__{service}__{endpoint}__{n}</c>).</summary>
    public Uri Address { get; }

    /// <summary>What the last active probe said (unknown until the first probe).</summary>
    public bool? ActivelyHealthy => Volatile.Read(ref _activeHealth) switch { 1 => true, -1 => false, _ => null };

    /// <summary>Whether real traffic marked it unhealthy, for no longer than <paramref name="reactivationPeriod"/>.</summary>
    public bool IsPassivelyUnhealthy(TimeSpan reactivationPeriod)
    {
        var at = Volatile.Read(ref _passiveUnhealthyAt);
        return at != 0 && _time.GetElapsedTime(at) < reactivationPeriod;
    }

    /// <summary>Whether the balancer may send it traffic: not failed by the last probe, nor by recent traffic.</summary>
    public bool IsAvailable(TimeSpan reactivationPeriod) => ActivelyHealthy != false && !IsPassivelyUnhealthy(reactivationPeriod);

    /// <summary>Records a probe result; true when it changed the active verdict.</summary>
    internal bool ReportProbe(bool healthy)
    {
        if (healthy)
        {
            // A good probe is fresh evidence: it re-admits a replica that traffic had given up on.
            Volatile.Write(ref _passiveUnhealthyAt, 0);
            Volatile.Write(ref _connectFailures, 0);
        }
        return Interlocked.Exchange(ref _activeHealth, healthy ? 1 : -1) != (healthy ? 1 : -1);
    }

    /// <summary>Counts a connect failure of real traffic; true when this one crossed <paramref name="threshold"/>.</summary>
    internal bool ReportConnectFailure(int threshold)
    {
        if (Interlocked.Increment(ref _connectFailures) < threshold)
        {
            return false;
        }
        Volatile.Write(ref _connectFailures, 0);
        Volatile.Write(ref _passiveUnhealthyAt, _time.GetTimestamp());
        return true;
    }

    /// <summary>Real traffic reached it: consecutive failures start over.</summary>
    internal void ReportReachable()
    {
        if (Volatile.Read(ref _connectFailures) != 0)
        {
            Volatile.Write(ref _connectFailures, 0);
        }
    }
}
