using McpPlatform.Contracts.Common.V1;
using McpPlatform.Dispatcher.Grpc.Leases;

namespace McpPlatform.Dispatcher.Grpc.Admission;

/// <summary>
/// The bounded queue of one server: a FIFO sub-queue per tenant and a round robin over the tenants that wait, so a
/// tenant with a thousand queued calls delays another tenant's call by at most one slot turn. One pump at a time
/// hands freed capacity to the head of the tenant whose turn it is; a served tenant goes to the back of the turns.
/// </summary>
internal sealed class AdmissionQueue(
    string server,
    int maxLength,
    Func<Waiter, CancellationToken, ValueTask<AcquireOutcome>> tryAcquire,
    Func<SlotLease, ValueTask> giveBack,
    Action<Exception> onPumpFailure)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, LinkedList<Waiter>> _tenants = new(StringComparer.Ordinal);
    private readonly LinkedList<string> _turns = new();
    private int _depth;
    private int _pumpRequests;

    public string Server { get; } = server;

    public int Depth => Volatile.Read(ref _depth);

    /// <summary>Queues <paramref name="waiter"/> and waits for its turn; a busy outcome when the queue is full or the wait times out.</summary>
    public async Task<AcquireOutcome> WaitAsync(Waiter waiter, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_depth >= maxLength)
            {
                return new(null, Busy.Types.Reason.QueueFull);
            }

            var tenant = waiter.Route.TenantId;
            if (!_tenants.TryGetValue(tenant, out var queue))
            {
                queue = new LinkedList<Waiter>();
                _tenants[tenant] = queue;
                _turns.AddLast(tenant);
            }

            waiter.Node = queue.AddLast(waiter);
            _depth++;
        }

        RequestPump();
        try
        {
            return await waiter.Outcome.WaitAsync(timeout, time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            if (TryRemove(waiter))
            {
                return new(null, Busy.Types.Reason.QueueTimeout);
            }

            // The pump served it at the same moment: take what it got.
            return await waiter.Outcome.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            if (!TryRemove(waiter) && await waiter.Outcome.ConfigureAwait(false) is { Lease: { } lease })
            {
                await giveBack(lease).ConfigureAwait(false);
            }

            throw;
        }
    }

    /// <summary>Asks for a pass over the queue (capacity may have appeared); passes never overlap.</summary>
    public void RequestPump()
    {
        if (Interlocked.Increment(ref _pumpRequests) == 1)
        {
            _ = Task.Run(PumpAsync);
        }
    }

    private async Task PumpAsync()
    {
        var seen = Volatile.Read(ref _pumpRequests);
        while (true)
        {
            try
            {
                await PassAsync().ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                // Giving back a lease failed (the store is unreachable; the lease lapses by its TTL). The pump must
                // survive it, or this server's queue would never move again: report it and go on.
                onPumpFailure(ex);
            }

            var remaining = Interlocked.Add(ref _pumpRequests, -seen);
            if (remaining == 0)
            {
                return;
            }

            seen = remaining;
        }
    }

    private async Task PassAsync()
    {
        while (true)
        {
            Waiter head;
            lock (_gate)
            {
                if (_turns.First is not { } turn)
                {
                    return;
                }

                head = _tenants[turn.Value].First!.Value;
            }

            AcquireOutcome outcome;
            try
            {
                outcome = await tryAcquire(head, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                // The store failed (Redis unreachable): this call gets the error; the others stay queued.
                if (TryRemove(head))
                {
                    head.Fail(ex);
                }

                return;
            }

            if (outcome.ShouldWait)
            {
                return;
            }

            if (TryRemove(head))
            {
                head.Complete(outcome);
            }
            else if (outcome.Lease is { } lease)
            {
                // It gave up while we were leasing for it.
                await giveBack(lease).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Takes a waiter out of its sub-queue; the tenant loses its turn position (goes to the back) or leaves the turns when empty.</summary>
    private bool TryRemove(Waiter waiter)
    {
        lock (_gate)
        {
            if (waiter.Node?.List is not { } queue)
            {
                return false;
            }

            var wasHead = queue.First == waiter.Node;
            queue.Remove(waiter.Node);
            _depth--;
            var tenant = waiter.Route.TenantId;
            if (queue.Count == 0)
            {
                _tenants.Remove(tenant);
                _turns.Remove(tenant);
            }
            else if (wasHead && _turns.First?.Value == tenant)
            {
                _turns.RemoveFirst();
                _turns.AddLast(tenant);
            }

            return true;
        }
    }
}
