using McpPlatform.Worker.Host.Processes;

namespace McpPlatform.Worker.Host.Pool;

/// <summary>Deadlines, recycling by calls, age and memory: what the pool's watchdog tick and lease releases drive.</summary>
internal sealed partial class Slot
{
    /// <summary>Marks the slot for recycling; the process is replaced as soon as no call uses it.</summary>
    public void RequestRecycle(string reason)
    {
        StdioProcess? kill = null;
        lock (_gate)
        {
            if (_recyclePending || State != SlotState.Ready)
            {
                return;
            }

            _recyclePending = true;
            if (Reservations == 0 && _pending.Count == 0)
            {
                _killKind = RpcFailure.Stopped;
                kill = _process;
            }
        }

        PoolLog.Recycling(_pool.Logger, Definition.Name, Number, reason);
        kill?.Kill($"recycled: {reason}");
    }

    /// <summary>Called after a lease released its permit: a pending or due recycle can now happen.</summary>
    public void OnReleased()
    {
        StdioProcess? kill = null;
        var dueByCount = false;
        lock (_gate)
        {
            _lastActivity = _pool.TimeProvider.GetTimestamp();
            if (_recyclePending && Reservations == 0 && _pending.Count == 0)
            {
                _killKind = RpcFailure.Stopped;
                kill = _process;
            }

            dueByCount = !_recyclePending && Definition.RecycleAfterCalls > 0 && _callsServed >= Definition.RecycleAfterCalls;
        }

        kill?.Kill("recycled");
        if (dueByCount)
        {
            RequestRecycle($"served {Definition.RecycleAfterCalls} calls");
        }
    }

    /// <summary>Watchdog tick: calls past their deadline kill the process; age and memory trigger recycling.</summary>
    public void Tick(long now, bool checkMemory)
    {
        StdioProcess? kill = null;
        string? recycle = null;
        List<PendingCall>? expired = null;
        lock (_gate)
        {
            foreach (var call in _pending.Values)
            {
                if (now >= call.DeadlineTimestamp && !call.TimedOut)
                {
                    if (call.Parked)
                    {
                        // Waiting for the next process, which is not to blame: the call alone ends.
                        (expired ??= []).Add(call);
                        continue;
                    }

                    call.TimedOut = true;
                    kill = _process;
                }
            }

            foreach (var call in expired ?? [])
            {
                _pending.Remove(call.UpstreamId);
            }

            if (kill is not null)
            {
                _killKind = RpcFailure.Timeout;
            }
            else if (State == SlotState.Ready && !IsSession)
            {
                if (Definition.RecycleAfter > TimeSpan.Zero && _pool.TimeProvider.GetElapsedTime(_startedAt, now) >= Definition.RecycleAfter)
                {
                    recycle = $"older than {Definition.RecycleAfter}";
                }
                else if (checkMemory && Definition.MemoryCeilingMb > 0 && _process?.ReadRssBytes() is { } rss && rss > Definition.MemoryCeilingMb * 1024L * 1024L)
                {
                    recycle = $"RSS {rss / (1024 * 1024)} MB above the {Definition.MemoryCeilingMb} MB ceiling";
                }
            }
        }

        foreach (var call in expired ?? [])
        {
            _pool.Metrics.CallCompleted(Definition.Name, _pool.TimeProvider.GetElapsedTime(call.StartTimestamp, now), RpcFailure.Timeout);
            call.SetResult(JsonRpcErrors.Failure(call.ClientId, RpcFailure.Timeout,
                $"The call exceeded the {Definition.CallTimeout.TotalSeconds:0.###} s call timeout of server '{Definition.Name}' while its process was being restarted.", Definition.Name));
        }

        kill?.Kill($"a call exceeded the {Definition.CallTimeout.TotalSeconds:0.###} s call timeout");
        if (recycle is not null)
        {
            RequestRecycle(recycle);
        }
    }
}
