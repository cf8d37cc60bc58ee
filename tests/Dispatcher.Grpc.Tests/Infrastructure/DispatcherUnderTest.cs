using Grpc.Net.Client;
using McpPlatform.Contracts.Dispatch.V1;
using McpPlatform.Contracts.Worker.V1;
using McpPlatform.Dispatcher.Grpc.Admission;
using McpPlatform.Dispatcher.Grpc.Extensions;
using McpPlatform.Dispatcher.Grpc.Leases;
using McpPlatform.Dispatcher.Grpc.Registry;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace McpPlatform.Dispatcher.Grpc.Tests.Infrastructure;

/// <summary>
/// The dispatcher's real composition (AddApplicationServices + MapDispatcher) in this process on an h2c endpoint at
/// 127.0.0.1:0, with short registry intervals; Redis-backed when given a connection string.
/// </summary>
public sealed class DispatcherUnderTest : IAsyncDisposable
{
    private readonly WebApplication _app;

    private DispatcherUnderTest(WebApplication app, string address)
    {
        _app = app;
        Address = address;
        Channel = GrpcChannel.ForAddress(address);
        Dispatch = new Dispatch.DispatchClient(Channel);
        Registry = new WorkerRegistry.WorkerRegistryClient(Channel);
    }

    public string Address { get; }

    public GrpcChannel Channel { get; }

    public Dispatch.DispatchClient Dispatch { get; }

    public WorkerRegistry.WorkerRegistryClient Registry { get; }

    internal WorkerPool Pool => _app.Services.GetRequiredService<WorkerPool>();

    internal AdmissionController Admission => _app.Services.GetRequiredService<AdmissionController>();

    internal LeaseManager Leases => _app.Services.GetRequiredService<LeaseManager>();

    /// <summary>Any of the dispatcher's services (the lease bank and its keeper, for the bank's tests).</summary>
    internal T Service<T>()
        where T : notnull => _app.Services.GetRequiredService<T>();

    /// <summary>Starts a dispatcher; <paramref name="settings"/> override the test defaults ("Dispatcher:QueueTimeout", ...).</summary>
    public static async Task<DispatcherUnderTest> StartAsync(string? redis = null, string keyPrefix = "test:", IDictionary<string, string?>? settings = null)
    {
        var builder = LoopbackApp.CreateBuilder();
        var config = new Dictionary<string, string?>
        {
            // Generous, so a loaded machine never loses a worker by accident; the lost-worker tests shorten them.
            ["Dispatcher:HeartbeatInterval"] = "00:00:01",
            ["Dispatcher:MissedHeartbeats"] = "5",
            ["Dispatcher:RegistryRefreshInterval"] = "00:00:00.050",
            ["Dispatcher:QueuePollInterval"] = "00:00:00.050",
            ["Dispatcher:LeaseTtl"] = "00:00:05",
            ["Dispatcher:QueueTimeout"] = "00:00:30",
            ["Stores:KeyPrefix"] = keyPrefix,
        };
        if (redis is not null)
        {
            config["ConnectionStrings:redis"] = redis;
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            config[key] = value;
        }

        builder.Configuration.AddInMemoryCollection(config);
        builder.AddApplicationServices();
        var app = builder.Build();
        app.MapDispatcher();
        await app.StartAsync();
        return new DispatcherUnderTest(app, LoopbackApp.AddressOf(app));
    }

    /// <summary>Waits (polling this dispatcher's own state) until <paramref name="condition"/> holds.</summary>
    public static Task EventuallyAsync(Func<bool> condition, string what, TimeSpan? within = null) =>
        EventuallyAsync(() => Task.FromResult(condition()), what, within);

    /// <summary>Waits (polling) until the asynchronous <paramref name="condition"/> holds.</summary>
    public static async Task EventuallyAsync(Func<Task<bool>> condition, string what, TimeSpan? within = null)
    {
        var limit = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(10));
        while (!await condition())
        {
            if (DateTime.UtcNow > limit)
            {
                throw new TimeoutException("Timed out waiting until " + what);
            }

            // Polling another component's state; no event to await for it.
            await Task.Delay(10);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Channel.Dispose();
        await _app.StopAsync(new CancellationTokenSource(TimeSpan.FromSeconds(5)).Token);
        await _app.DisposeAsync();
    }
}
