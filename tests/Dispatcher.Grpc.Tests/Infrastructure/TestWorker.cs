using Google.Protobuf.WellKnownTypes;
using Grpc.Net.Client;
using McpPlatform.Contracts.Common.V1;
using McpPlatform.Contracts.Worker.V1;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace McpPlatform.Dispatcher.Grpc.Tests.Infrastructure;

/// <summary>
/// A Worker.Host stand-in: <see cref="TestWorkerService"/> on a real h2c Kestrel endpoint (127.0.0.1:0), registered
/// through the dispatcher's real WorkerRegistry and heartbeating at the interval the dispatcher asks for.
/// </summary>
public sealed class TestWorker : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly GrpcChannel _registryChannel;
    private readonly CancellationTokenSource _heartbeats = new();
    private Task _heartbeatLoop = Task.CompletedTask;

    private TestWorker(WebApplication app, TestWorkerService service, string address, string dispatcher)
    {
        (_app, Service, Address) = (app, service, address);
        _registryChannel = GrpcChannel.ForAddress(dispatcher);
        Registry = new WorkerRegistry.WorkerRegistryClient(_registryChannel);
    }

    public TestWorkerService Service { get; }

    public string Id => Service.WorkerId;

    public string Address { get; }

    public WorkerRegistry.WorkerRegistryClient Registry { get; }

    /// <summary>Starts a worker serving <paramref name="server"/> with <paramref name="slots"/> slots of one call each, and registers it.</summary>
    public static async Task<TestWorker> StartAsync(string dispatcherAddress, string workerId, string server = "echo", int slots = 4, Isolation isolation = Isolation.Shared)
    {
        var service = new TestWorkerService(workerId);
        var builder = LoopbackApp.CreateBuilder();
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(service);
        var app = builder.Build();
        app.MapGrpcService<TestWorkerService>();
        await app.StartAsync();
        var address = LoopbackApp.AddressOf(app);
        var worker = new TestWorker(app, service, address, dispatcherAddress);
        var catalog = new CatalogEntry
        {
            Name = server,
            ProtocolVersion = "2025-06-18",
            Isolation = isolation,
            MinSlots = 0,
            MaxSlots = slots,
            MaxConcurrentCallsPerSlot = 1,
            CallTimeout = Duration.FromTimeSpan(TimeSpan.FromSeconds(30)),
        };
        var registered = await worker.Registry.RegisterAsync(
            new RegisterRequest { WorkerId = workerId, Address = address, Capacity = slots, Version = "test", Catalog = { catalog } },
            deadline: DateTime.UtcNow.AddSeconds(10));
        worker.StartHeartbeats(registered.HeartbeatInterval.ToTimeSpan(), server, slots);
        return worker;
    }

    /// <summary>Stops heartbeating (the dispatcher will find the worker lost); the server keeps running.</summary>
    public async Task StopHeartbeatsAsync()
    {
        await _heartbeats.CancelAsync();
        await _heartbeatLoop;
    }

    /// <summary>Kills the server abruptly: open connections are aborted mid-call, as when the process dies.</summary>
    public async Task KillAsync()
    {
        await StopHeartbeatsAsync();
        await _app.StopAsync(new CancellationToken(canceled: true));
    }

    public async ValueTask DisposeAsync()
    {
        await StopHeartbeatsAsync();
        Service.Gate.Release(10_000);
        _registryChannel.Dispose();
        await _app.StopAsync(new CancellationToken(canceled: true));
        await _app.DisposeAsync();
    }

    private void StartHeartbeats(TimeSpan interval, string server, int slots)
    {
        _heartbeatLoop = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(interval);
            try
            {
                while (await timer.WaitForNextTickAsync(_heartbeats.Token))
                {
                    var beat = new HeartbeatRequest { WorkerId = Id };
                    beat.Slots.AddRange(Enumerable.Range(0, slots).Select(n => new SlotStatus { SlotId = $"{server}/{n}", Server = server, State = SlotStatus.Types.State.Idle }));
                    try
                    {
                        await Registry.HeartbeatAsync(beat, deadline: DateTime.UtcNow.AddSeconds(5), cancellationToken: _heartbeats.Token);
                    }
                    catch (global::Grpc.Core.RpcException)
                    {
                        // The dispatcher is stopping, or we are: the next tick tries again or ends the loop.
                    }
                }
            }
            catch (OperationCanceledException)
            {
            }
        });
    }
}
