using McpPlatform.Dispatcher.Grpc.Admission;
using McpPlatform.Dispatcher.Grpc.Caching;
using McpPlatform.Dispatcher.Grpc.Leases;
using McpPlatform.Dispatcher.Grpc.Options;
using McpPlatform.Dispatcher.Grpc.Registry;
using McpPlatform.Dispatcher.Grpc.Relay;
using McpPlatform.Dispatcher.Grpc.Telemetry;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace McpPlatform.Dispatcher.Grpc.Extensions;

/// <summary>The service's registrations; <c>Program.cs</c> stays a composition root.</summary>
internal static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddPlatformStores();
        builder.Services.AddGrpc();
        builder.AddDispatcher();
    }

    /// <summary>
    /// The dispatcher's features: the "Dispatcher" options (validated at start), the worker registry, slot leases
    /// and admission, relay, list cache and metrics. Registry and leases live in Redis when ConnectionStrings:redis
    /// is set (as the platform stores do), in this process otherwise.
    /// </summary>
    public static IHostApplicationBuilder AddDispatcher(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<DispatcherOptions>().BindConfiguration(DispatcherOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DispatcherOptions>, DispatcherOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();

        if (!string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString(StoreRegistrationExtensions.RedisConnectionName)))
        {
            services.AddSingleton<IWorkerDirectory, RedisWorkerDirectory>();
            services.AddSingleton<ISlotLeaseStore, RedisSlotLeaseStore>();
        }
        else
        {
            services.AddSingleton<IWorkerDirectory, InProcessWorkerDirectory>();
            services.AddSingleton<ISlotLeaseStore, InProcessSlotLeaseStore>();
        }

        services.AddSingleton<WorkerPool>();
        services.AddOptions<WorkerCallOptions>().BindConfiguration(WorkerCallOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<WorkerCallOptions>, WorkerCallOptionsValidator>());
        services.AddSingleton<WorkerChannels>();
        services.AddSingleton<DispatcherMetrics>();
        services.AddSingleton<LeaseBank>();
        services.AddSingleton<LeaseManager>();
        services.AddSingleton<ListCache>();
        services.AddSingleton<ListCacheInvalidation>();
        services.AddHostedService(provider => provider.GetRequiredService<ListCacheInvalidation>());
        services.AddSingleton<AdmissionController>();
        services.AddHostedService(provider => provider.GetRequiredService<AdmissionController>());
        services.AddSingleton<WorkerSweeper>();
        services.AddHostedService(provider => provider.GetRequiredService<WorkerSweeper>());
        services.AddHostedService<LeaseKeeper>();
        services.AddSingleton<LeaseBankKeeper>();
        services.AddHostedService(provider => provider.GetRequiredService<LeaseBankKeeper>());
        services.AddSingleton<RelayExecutor>();
        services.AddSingleton<SessionRelay>();
        return builder;
    }

    /// <summary>Maps Dispatch (for gateways) and WorkerRegistry (for Worker.Hosts).</summary>
    public static IEndpointRouteBuilder MapDispatcher(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGrpcService<DispatchService>();
        endpoints.MapGrpcService<WorkerRegistryService>();
        endpoints.MapGrpcService<McpPlatform.Dispatcher.Grpc.Catalog.CatalogService>();
        return endpoints;
    }
}
