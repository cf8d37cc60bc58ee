using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Grpc.Core;
using Grpc.Net.Client;
using McpPlatform.StandIns.Grpc.Tests.Infrastructure;
using McpPlatform.StandIns.Grpc.Tests.Protos;

namespace McpPlatform.StandIns.Grpc.Tests.Client;

public sealed class TelemetryTests
{
    [Fact]
    public async Task Call_TracesClientAndServerInOneTraceAndRecordsDurationByStatus()
    {
        await using var server = await GrpcTestServer.StartAsync();
        using var channel = GrpcChannel.ForAddress(server.Address);
        using var source = new ActivitySource("McpPlatform.Grpc.Tests");
        using var root = new ActivityListenerScope();
        var measurements = new ConcurrentQueue<(string Name, Dictionary<string, object?> Tags)>();
        using var meters = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == "McpPlatform.Grpc")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        meters.SetMeasurementEventCallback<double>((instrument, _, tags, _) =>
            measurements.Enqueue((instrument.Name, tags.ToArray().ToDictionary(t => t.Key, t => t.Value))));
        meters.Start();

        ActivityTraceId traceId;
        using (var parent = source.StartActivity("test-root"))
        {
            traceId = parent!.TraceId;
            var ex = await Assert.ThrowsAsync<RpcException>(async () =>
                await new Echo.EchoClient(channel).UnaryAsync(new EchoRequest { StatusCode = 5, StatusMessage = "gone" }));
            Assert.Equal(StatusCode.NotFound, ex.StatusCode);
        }

        var serverSpan = await root.WaitForAsync(a => a.Kind == ActivityKind.Server && a.TraceId == traceId);
        var clientSpan = await root.WaitForAsync(a => a.Kind == ActivityKind.Client && a.TraceId == traceId);

        foreach (var span in new[] { clientSpan, serverSpan })
        {
            Assert.Equal("grpc", span.GetTagItem("rpc.system"));
            Assert.Equal("mcpplatform.test.v1.Echo", span.GetTagItem("rpc.service"));
            Assert.Equal("Unary", span.GetTagItem("rpc.method"));
            Assert.Equal(5, span.GetTagItem("rpc.grpc.status_code"));
            Assert.Equal(ActivityStatusCode.Error, span.Status);
        }

        Assert.Contains(measurements, m => m.Name == "rpc.client.call.duration" && Equals(m.Tags["rpc.grpc.status_code"], 5));
        Assert.Contains(measurements, m => m.Name == "rpc.server.call.duration" && Equals(m.Tags["rpc.grpc.status_code"], 5));
    }

    private sealed class ActivityListenerScope : IDisposable
    {
        private readonly ConcurrentQueue<Activity> _stopped = new();
        private readonly ActivityListener _listener;
        private readonly SemaphoreSlim _signal = new(0);

        public ActivityListenerScope()
        {
            _listener = new ActivityListener
            {
                ShouldListenTo = s => s.Name.StartsWith("McpPlatform.Grpc", StringComparison.Ordinal),
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
                ActivityStopped = a =>
                {
                    _stopped.Enqueue(a);
                    _signal.Release();
                },
            };
            ActivitySource.AddActivityListener(_listener);
        }

        public async Task<Activity> WaitForAsync(Func<Activity, bool> predicate)
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            while (true)
            {
                if (_stopped.FirstOrDefault(predicate) is { } found)
                {
                    return found;
                }

                await _signal.WaitAsync(cts.Token);
            }
        }

        public void Dispose()
        {
            _listener.Dispose();
            _signal.Dispose();
        }
    }
}
