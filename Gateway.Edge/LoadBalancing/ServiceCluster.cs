namespace McpPlatform.Gateway.Edge.LoadBalancing;

/// <summary>The replicas of one service endpoint, and the round-robin cursor over the available ones.</summary>
public sealed class ServiceCluster
{
    private volatile DestinationState[] _destinations = [];
    private int _cursor = -1;

    internal ServiceCluster(string service, string endpoint)
    {
        Service = service;
        Endpoint = endpoint;
    }

    /// <summary>The service name.</summary>
    public string Service { get; }

    /// <summary>The service's endpoint name.</summary>
    public string Endpoint { get; }

    /// <summary>Every configured replica, healthy or not.</summary>
    public IReadOnlyList<DestinationState> Destinations => _destinations;

    /// <summary>
    /// The next available replica in round-robin order among the available ones (so a failing
    /// replica does not double its neighbour's share), skipping <paramref name="exclude"/>; null when none is left.
    /// </summary>
    public DestinationState? Pick(TimeSpan reactivationPeriod, IReadOnlyCollection<DestinationState>? exclude = null)
    {
        var all = _destinations;
        Span<int> available = all.Length <= 64 ? stackalloc int[all.Length] : new int[all.Length];
        var count = 0;
        for (var i = 0; i < all.Length; i++)
        {
            if (all[i].IsAvailable(reactivationPeriod) && exclude?.Contains(all[i]) != true)
            {
                available[count++] = i;
            }
        }
        if (count == 0)
        {
            return null;
        }
        var next = (uint)Interlocked.Increment(ref _cursor);
        return all[available[(int)(next % (uint)count)]];
    }

    /// <summary>Replaces the address list, keeping the health of addresses that stay.</summary>
    internal void Update(IReadOnlyList<Uri> addresses, TimeProvider time)
    {
        var current = _destinations;
        _destinations = addresses
            .Select(a => current.FirstOrDefault(d => d.Address == a) ?? new DestinationState(a, time))
            .ToArray();
    }
}
