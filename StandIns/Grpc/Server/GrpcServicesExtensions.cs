using Grpc.AspNetCore.Server;
using Grpc.HealthCheck;
using McpPlatform.StandIns.Grpc.Server;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the gRPC server.</summary>
public static class GrpcServicesExtensions
{
    /// <summary>Adds the gRPC server's services, the standard health service, and options.</summary>
    public static IGrpcServerBuilder AddGrpc(this IServiceCollection services, Action<GrpcServiceOptions>? configureOptions = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddRouting();
        services.AddOptions<GrpcServiceOptions>();
        if (configureOptions is not null)
        {
            services.Configure(configureOptions);
        }

        services.TryAddSingleton<GrpcMarkerService>();
        services.TryAddSingleton<HealthServiceImpl>();
        return new GrpcServerBuilder(services);
    }

    private sealed class GrpcServerBuilder(IServiceCollection services) : IGrpcServerBuilder
    {
        public IServiceCollection Services { get; } = services;
    }
}
