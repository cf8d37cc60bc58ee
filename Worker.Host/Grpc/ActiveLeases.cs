using System.Collections.Concurrent;
using McpPlatform.Worker.Host.Pool;

namespace McpPlatform.Worker.Host.Grpc;

/// <summary>
/// The pool leases behind the dispatcher's lease ids while their Execute calls run, so <c>Cancel</c> (which may
/// arrive from another gateway replica) can reach the call by its lease id and the client's request id.
/// </summary>
internal sealed class ActiveLeases
{
    private readonly ConcurrentDictionary<string, SlotLease> _leases = new(StringComparer.Ordinal);

    public IDisposable Track(string leaseId, SlotLease lease)
    {
        if (leaseId.Length == 0)
        {
            return Untrack.None;
        }

        _leases[leaseId] = lease;
        return new Untrack(() => _leases.TryRemove(new KeyValuePair<string, SlotLease>(leaseId, lease)));
    }

    public bool TryGet(string leaseId, out SlotLease lease) => _leases.TryGetValue(leaseId, out lease!);

    private sealed class Untrack(Action? remove) : IDisposable
    {
        public static readonly Untrack None = new(null);

        private Action? _remove = remove;

        public void Dispose() => Interlocked.Exchange(ref _remove, null)?.Invoke();
    }
}
