using Grpc.Core;
using Grpc.Net.Client;
using McpPlatform.Contracts.Worker.V1;
using McpPlatform.ServiceDefaults.Discovery;
using McpPlatform.Worker.Host.Pool;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace McpPlatform.Worker.Host.Registration;

/// <summary>
/// Keeps this worker known to Dispatcher.Grpc: registers once the server listens, heartbeats the slot states at the
/// interval the dispatcher asks for, registers again when a heartbeat answers <c>known = false</c> or the dispatcher
/// was unreachable (with backoff; it never stops the host), and on stop reports <c>draining</c> and deregisters.
/// Without <c>services:dispatcher:grpc</c> it logs once and does nothing, so the worker also runs alone.
/// </summary>
/// <remarks>
/// Registered after the pool's hosted service, so it stops first: the dispatcher stops leasing this worker's slots
/// before the pool drains, and calls already leased still reach it while they finish.
/// </remarks>
internal sealed class DispatcherRegistration(
    ServiceEndpointResolver endpoints,
    IConfiguration configuration,
    IOptions<RegistrationOptions> options,
    WorkerPool pool,
    IServer server,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILogger<DispatcherRegistration> logger) : BackgroundService
{
    private GrpcChannel? _channel;
    private string _workerId = "";
    private volatile bool _registered;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var dispatcher = endpoints.Resolve("dispatcher", "grpc").FirstOrDefault();
        if (dispatcher is null)
        {
            RegistrationLog.NoDispatcher(logger);
            return;
        }

        // The advertised address may be the one Kestrel bound (port 0), known only once the server started.
        if (!await StartedAsync(stoppingToken))
        {
            return;
        }

        if (AdvertisedAddress() is not { } address)
        {
            RegistrationLog.NoAddress(logger);
            return;
        }

        _workerId = options.Value.Id.Length > 0 ? options.Value.Id : Environment.MachineName;
        _channel = GrpcChannel.ForAddress(dispatcher);
        var registry = new WorkerRegistry.WorkerRegistryClient(_channel);
        var backoff = options.Value.RetryBackoff;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // 1. Register (again after a dispatcher restart or an outage).
                var answer = await registry.RegisterAsync(RegistrationMessages.Register(_workerId, address, pool.Catalog), deadline: Deadline(), cancellationToken: stoppingToken);
                if (!answer.Accepted)
                {
                    RegistrationLog.Refused(logger, dispatcher, _workerId, answer.Message, backoff);
                    await Task.Delay(backoff, time, stoppingToken);
                    backoff = Next(backoff);
                    continue;
                }

                var interval = answer.HeartbeatInterval?.ToTimeSpan() is { Ticks: > 0 } asked ? asked : TimeSpan.FromSeconds(5);
                _registered = true;
                backoff = options.Value.RetryBackoff;
                RegistrationLog.Registered(logger, _workerId, address, dispatcher, interval);

                // 2. Heartbeat until the dispatcher forgets us.
                using var timer = new PeriodicTimer(interval, time);
                while (await timer.WaitForNextTickAsync(stoppingToken))
                {
                    var beat = await registry.HeartbeatAsync(RegistrationMessages.Heartbeat(_workerId, pool, draining: false), deadline: Deadline(), cancellationToken: stoppingToken);
                    if (!beat.Known)
                    {
                        RegistrationLog.Forgotten(logger, _workerId);
                        break;
                    }
                }
            }
            catch (RpcException ex) when (!stoppingToken.IsCancellationRequested)
            {
                RegistrationLog.Unreachable(logger, dispatcher, ex.StatusCode, backoff);
                await Task.Delay(backoff, time, stoppingToken);
                backoff = Next(backoff);
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // Stop the heartbeats first: a late one must not undo the deregistration.
        try
        {
            await base.StopAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
        }

        if (_channel is null || !_registered)
        {
            return;
        }

        var registry = new WorkerRegistry.WorkerRegistryClient(_channel);
        try
        {
            await registry.HeartbeatAsync(RegistrationMessages.Heartbeat(_workerId, pool, draining: true), deadline: Deadline(), cancellationToken: cancellationToken);
            await registry.DeregisterAsync(new DeregisterRequest { WorkerId = _workerId }, deadline: Deadline(), cancellationToken: cancellationToken);
            RegistrationLog.Deregistered(logger, _workerId);
        }
        catch (RpcException ex)
        {
            RegistrationLog.DeregisterFailed(logger, _workerId, ex.StatusCode);
        }
    }

    public override void Dispose()
    {
        _channel?.Dispose();
        base.Dispose();
    }

    private async Task<bool> StartedAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var onStarted = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        using var onStopping = stoppingToken.Register(() => started.TrySetCanceled(stoppingToken));
        try
        {
            await started.Task;
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private string? AdvertisedAddress()
    {
        if (options.Value.AdvertisedAddress.Length > 0)
        {
            return options.Value.AdvertisedAddress;
        }

        var configured = configuration["Kestrel:Endpoints:grpc:Url"];
        return !string.IsNullOrEmpty(configured)
            ? configured
            : server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
    }

    private DateTime Deadline() => time.GetUtcNow().UtcDateTime + options.Value.CallTimeout;

    private TimeSpan Next(TimeSpan backoff) => TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, options.Value.MaxRetryBackoff.Ticks));
}
