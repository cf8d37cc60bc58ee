using McpPlatform.Contracts.Common.V1;
using McpPlatform.Dispatcher.Grpc.Leases;

namespace McpPlatform.Dispatcher.Grpc.Admission;

/// <summary>One queued call: what it needs, and where its outcome goes.</summary>
internal sealed class Waiter(Route route, TimeSpan ttl, bool autoRenew, IReadOnlyCollection<string>? excludeWorkers, bool perCall = false)
{
    private readonly TaskCompletionSource<AcquireOutcome> _outcome = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Route Route { get; } = route;

    public TimeSpan Ttl { get; } = ttl;

    public bool AutoRenew { get; } = autoRenew;

    public IReadOnlyCollection<string>? ExcludeWorkers { get; } = excludeWorkers;

    /// <summary>A one-call lease (Relay) that may come from the lease bank.</summary>
    public bool PerCall { get; } = perCall;

    /// <summary>The waiter's place in its tenant's sub-queue; detached once served or given up.</summary>
    public LinkedListNode<Waiter>? Node { get; set; }

    public Task<AcquireOutcome> Outcome => _outcome.Task;

    public void Complete(AcquireOutcome outcome) => _outcome.TrySetResult(outcome);

    public void Fail(Exception exception) => _outcome.TrySetException(exception);
}
