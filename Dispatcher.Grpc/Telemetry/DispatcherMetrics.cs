using System.Diagnostics.Metrics;
using McpPlatform.Contracts.Common.V1;
using McpPlatform.Contracts.Worker.V1;
using McpPlatform.Dispatcher.Grpc.Registry;

namespace McpPlatform.Dispatcher.Grpc.Telemetry;

/// <summary>The dispatcher's instruments on Meter "McpPlatform.Dispatcher" (seed 000 §7).</summary>
internal sealed class DispatcherMetrics
{
    public const string MeterName = "McpPlatform.Dispatcher";

    private readonly Histogram<double> _queueWait;
    private readonly Histogram<double> _callDuration;
    private readonly UpDownCounter<long> _leases;
    private readonly Counter<long> _busy;

    public DispatcherMetrics(IMeterFactory meters, WorkerPool pool)
    {
        var meter = meters.Create(MeterName);
        _queueWait = meter.CreateHistogram<double>("mcpplatform.dispatcher.queue.wait", "s", "Time calls waited for a slot.");
        _callDuration = meter.CreateHistogram<double>("mcpplatform.dispatcher.call.duration", "s", "Relayed call latency, queue wait included.");
        _leases = meter.CreateUpDownCounter<long>("mcpplatform.dispatcher.leases.active", "{lease}", "Slot leases held through this replica, by isolation.");
        _busy = meter.CreateCounter<long>("mcpplatform.dispatcher.busy", "{answer}", "Busy answers, by reason.");
        meter.CreateObservableGauge("mcpplatform.dispatcher.queue.depth", () => QueueDepths?.Invoke() ?? [], "{call}", "Calls waiting for a slot, per server.");
        meter.CreateObservableGauge("mcpplatform.dispatcher.worker.utilization", () => Utilization(pool), "1", "Busy slots over reported slots, per server (0..1).");
        meter.CreateObservableGauge("mcpplatform.dispatcher.workers", () => pool.Workers.Count, "{worker}", "Live registered workers.");
        meter.CreateObservableGauge("mcpplatform.dispatcher.slot.restarts", () => SlotCounts(pool, slot => slot.Restarts), "{restart}", "Slot process restarts reported by the last heartbeats, per server.");
        meter.CreateObservableGauge("mcpplatform.dispatcher.slot.crashed", () => SlotCounts(pool, slot => slot.State == SlotStatus.Types.State.Crashed ? 1 : 0), "{slot}", "Slots whose process crashed and awaits respawn, per server.");
    }

    /// <summary>Set by the admission controller: one measurement per server queue.</summary>
    public Func<IEnumerable<Measurement<int>>>? QueueDepths { get; set; }

    public void QueueWait(string server, TimeSpan wait) => _queueWait.Record(wait.TotalSeconds, new KeyValuePair<string, object?>("server", server));

    public void CallDuration(string server, string method, string outcome, TimeSpan duration) =>
        _callDuration.Record(duration.TotalSeconds, new("server", server), new("method", method), new("outcome", outcome));

    public void LeaseTaken(Isolation isolation) => _leases.Add(1, new KeyValuePair<string, object?>("isolation", Name(isolation)));

    public void LeaseReturned(Isolation isolation) => _leases.Add(-1, new KeyValuePair<string, object?>("isolation", Name(isolation)));

    public void Busy(string server, Busy.Types.Reason reason) => _busy.Add(1, new("server", server), new("reason", reason.ToString()));

    private static string Name(Isolation isolation) => isolation switch
    {
        Isolation.Shared => "shared",
        Isolation.Tenant => "tenant",
        Isolation.Session => "session",
        _ => "unspecified",
    };

    private static IEnumerable<Measurement<long>> SlotCounts(WorkerPool pool, Func<SlotStatus, long> count) =>
        pool.Workers.SelectMany(worker => worker.LastHeartbeat?.Slots ?? [])
            .GroupBy(slot => slot.Server, StringComparer.Ordinal)
            .Select(group => new Measurement<long>(group.Sum(count), new KeyValuePair<string, object?>("server", group.Key)));

    private static IEnumerable<Measurement<double>> Utilization(WorkerPool pool)
    {
        var slots = pool.Workers.SelectMany(worker => worker.LastHeartbeat?.Slots ?? []);
        foreach (var group in slots.GroupBy(slot => slot.Server, StringComparer.Ordinal))
        {
            var total = group.Count();
            var busy = group.Count(slot => slot.State is SlotStatus.Types.State.Busy or SlotStatus.Types.State.Leased);
            yield return new Measurement<double>(total == 0 ? 0 : (double)busy / total, new KeyValuePair<string, object?>("server", group.Key));
        }
    }
}
