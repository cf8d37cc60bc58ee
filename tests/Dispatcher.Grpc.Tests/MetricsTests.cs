using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using McpPlatform.Contracts.Common.V1;
using McpPlatform.Dispatcher.Grpc.Tests.Infrastructure;

namespace McpPlatform.Dispatcher.Grpc.Tests;

public sealed class MetricsTests
{
    [Fact]
    public async Task RelayedCallsAndBusyAnswers_AreMeasured_OnTheDispatcherMeter()
    {
        var seen = new ConcurrentDictionary<string, string?>();
        var values = new ConcurrentBag<(string Name, double Value)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "McpPlatform.Dispatcher")
            {
                seen[instrument.Name] = instrument.Unit;
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((instrument, value, _, _) => values.Add((instrument.Name, value)));
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => values.Add((instrument.Name, value)));
        listener.SetMeasurementEventCallback<int>((instrument, value, _, _) => values.Add((instrument.Name, value)));
        listener.Start();
        await using var dispatcher = await DispatcherUnderTest.StartAsync(settings: new Dictionary<string, string?> { ["Dispatcher:QueueTimeout"] = "00:00:01" });
        await using var worker = await TestWorker.StartAsync(dispatcher.Address, "worker-1", slots: 1);

        var holding = Calls.RelayAsync(dispatcher.Dispatch, Calls.Tool(Calls.Route(), 1, "gate"));
        await DispatcherUnderTest.EventuallyAsync(() => worker.Service.Started.Count == 1, "the only slot is taken");
        var queued = Calls.RelayAsync(dispatcher.Dispatch, Calls.Tool(Calls.Route(), 2, "echo"));
        await DispatcherUnderTest.EventuallyAsync(() => dispatcher.Admission.Depth("echo") == 1, "a call waits");
        listener.RecordObservableInstruments();
        var busy = Assert.Single(await queued).Busy;
        worker.Service.Gate.Release();
        await holding;

        Assert.Equal(Busy.Types.Reason.QueueTimeout, busy.Reason);
        Assert.Equal("s", seen["mcpplatform.dispatcher.queue.wait"]);
        Assert.Equal("s", seen["mcpplatform.dispatcher.call.duration"]);
        Assert.Contains("mcpplatform.dispatcher.worker.utilization", seen.Keys);
        Assert.Contains(values, v => v.Name == "mcpplatform.dispatcher.busy" && v.Value == 1);
        Assert.Contains(values, v => v.Name == "mcpplatform.dispatcher.leases.active" && v.Value == 1);
        Assert.Contains(values, v => v.Name == "mcpplatform.dispatcher.queue.wait");
        Assert.Contains(values, v => v.Name == "mcpplatform.dispatcher.call.duration");
        Assert.Contains(values, v => v.Name == "mcpplatform.dispatcher.queue.depth" && v.Value == 1);
    }
}
