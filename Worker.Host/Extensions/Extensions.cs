using McpPlatform.Worker.Host.Catalog;
using McpPlatform.Worker.Host.Pool;
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
