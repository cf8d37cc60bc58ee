using McpPlatform.ServiceDefaults.Discovery;
using McpPlatform.Worker.Host.Catalog;
using McpPlatform.Worker.Host.Grpc;
using McpPlatform.Worker.Host.Pool;
using McpPlatform.Worker.Host.Registration;
using McpPlatform.Worker.Host.Workspaces;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace McpPlatform.Worker.Host.Extensions;

/// <summary>The service's registrations; <c>Program.cs</c> stays a composition root.</summary>
internal static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddWorkerPool();
        builder.AddWorkerGrpc();
    }

    /// <summary>
    /// The <c>Worker</c> gRPC service over the pool, and registration with Dispatcher.Grpc (after the pool, so on
    /// stop the dispatcher hears "draining" before the pool drains).
    /// </summary>
    public static IHostApplicationBuilder AddWorkerGrpc(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddGrpc();
        builder.Services.AddSingleton<ActiveLeases>();
        builder.Services.AddSingleton<WorkerSessionRelay>();
        builder.Services.AddServiceEndpoints();
        builder.Services.AddOptions<RegistrationOptions>().BindConfiguration(WorkerOptions.SectionName);
        builder.Services.AddHostedService<DispatcherRegistration>();
        return builder;
    }

    /// <summary>Maps <c>mcpplatform.worker.v1.Worker</c>.</summary>
    public static IEndpointRouteBuilder MapWorkerGrpc(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGrpcService<WorkerGrpcService>();
        return app;
    }

    /// <summary>The catalog (validated as a whole at start), the slot pool with its watchdog and drain, and workspaces.</summary>
    public static IHostApplicationBuilder AddWorkerPool(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<WorkerOptions>().BindConfiguration(WorkerOptions.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<WorkerOptions>, WorkerOptionsValidator>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddMetrics();
        builder.Services.AddSingleton<PoolMetrics>();
        builder.Services.AddSingleton<WorkspaceManager>();
        builder.Services.AddSingleton<WorkerPool>();
        builder.Services.AddSingleton<IWorkerPool>(sp => sp.GetRequiredService<WorkerPool>());
        builder.Services.AddHostedService<WorkerPoolService>();
        builder.Services.AddSingleton<WorkspaceCleaner>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<WorkspaceCleaner>());

        // The drain needs its grace period plus time to kill and reap the processes.
        var grace = builder.Configuration.GetValue<TimeSpan?>($"{WorkerOptions.SectionName}:{nameof(WorkerOptions.DrainGracePeriod)}") ?? TimeSpan.FromSeconds(20);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = grace + TimeSpan.FromSeconds(10));
        return builder;
    }
}
