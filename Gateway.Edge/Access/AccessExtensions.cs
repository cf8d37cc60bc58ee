using McpPlatform.Gateway.Edge.Access.Authentication;
using McpPlatform.Gateway.Edge.Access.Development;
using McpPlatform.Gateway.Edge.Access.Keys;
using McpPlatform.Gateway.Edge.Access.Metadata;
using McpPlatform.Gateway.Edge.Access.Options;
using McpPlatform.Gateway.Edge.Access.Policy;
using McpPlatform.Gateway.Edge.Access.Telemetry;
using McpPlatform.Gateway.Edge.Access.Usage;
using McpPlatform.ServiceDefaults.Discovery;
using McpPlatform.Stores.RateLimiting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace McpPlatform.Gateway.Edge.Access;

/// <summary>Registers the gateway's access layer: authentication, per-call policy and usage metering.</summary>
public static class AccessExtensions
{
    /// <summary>
    /// The Access.Api-backed layer (keys validated over gRPC and cached, revocations from the invalidation bus,
    /// limits and quotas in Redis, usage through a durable buffer), or the development stand-in when
    /// <c>Gateway:Access:Mode</c> says so (or is Auto and no Access.Api address is configured).
    /// </summary>
    public static IHostApplicationBuilder AddGatewayAccess(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<AccessOptions>()
            .BindConfiguration(AccessOptions.SectionName)
            .Configure<IConfiguration>((options, configuration) => configuration.GetSection("Gateway:AnonymousServers").Bind(options.AnonymousServers))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<AccessOptions>, AccessOptionsValidator>();
        services.AddOptions<DevelopmentAccessOptions>().BindConfiguration(DevelopmentAccessOptions.SectionName);
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.AddSingleton<AccessMetrics>();
        services.AddSingleton<ResourceUrls>();
        services.AddSingleton<AccessDenials>();

        if (ResolveMode(builder.Configuration) == AccessMode.Development)
        {
            services.AddSingleton<DevelopmentAccess>();
            services.AddSingleton<ICallerAuthenticator>(sp => sp.GetRequiredService<DevelopmentAccess>());
            services.AddSingleton<ICallPolicy>(sp => sp.GetRequiredService<DevelopmentAccess>());
            services.AddSingleton<IUsageSink>(sp => sp.GetRequiredService<DevelopmentAccess>());
            services.AddHostedService<DevelopmentModeNotice>();
            return builder;
        }

        // Rate limiter and invalidation bus: Redis-backed when ConnectionStrings:redis is set, in-process otherwise.
        if (!services.Any(service => service.ServiceType == typeof(IRateLimiter)))
        {
            builder.AddPlatformStores();
        }

        var redis = !string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString(StoreRegistrationExtensions.RedisConnectionName));
        services.AddServiceEndpoints();
        services.AddSingleton<AccessApiClient>();
        services.AddSingleton<ValidationCache>();
        services.AddSingleton<ApiKeyValidator>();
        services.AddHostedService<RevocationListener>();
        services.AddSingleton<ICallerAuthenticator, BearerAuthenticator>();
        services.AddSingleton<ICallPolicy, PlanCallPolicy>();
        if (redis)
        {
            services.AddSingleton<RedisCallLimiter>();
            services.AddSingleton<ICallLimiter>(sp => sp.GetRequiredService<RedisCallLimiter>());
            services.AddHostedService<AllotmentReturner>();
            services.AddSingleton<IUsageBuffer, RedisUsageBuffer>();
        }
        else
        {
            services.AddSingleton<ICallLimiter, InProcessCallLimiter>();
            services.AddSingleton<IUsageBuffer, InProcessUsageBuffer>();
        }

        services.AddSingleton<BufferedUsageSink>();
        services.AddSingleton<IUsageSink>(sp => sp.GetRequiredService<BufferedUsageSink>());
        services.AddHostedService(sp => sp.GetRequiredService<BufferedUsageSink>());
        services.AddHostedService<UsageDrainer>();
        return builder;
    }

    /// <summary>Maps the RFC 9728 protected-resource metadata documents.</summary>
    public static IEndpointRouteBuilder MapGatewayAccess(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapProtectedResourceMetadata();
        return endpoints;
    }

    private static AccessMode ResolveMode(IConfiguration configuration)
    {
        var mode = configuration.GetValue($"{AccessOptions.SectionName}:Mode", AccessMode.Auto);
        if (mode != AccessMode.Auto)
        {
            return mode;
        }

        var service = configuration[$"{AccessOptions.SectionName}:AccessApiService"] ?? "access-api";
        var endpoint = configuration[$"{AccessOptions.SectionName}:AccessApiEndpoint"] ?? "grpc";
        return new ServiceEndpointResolver(configuration).Resolve(service, endpoint).Count > 0 ? AccessMode.AccessApi : AccessMode.Development;
    }
}
