using Grpc.HealthCheck;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>The names grpc-dotnet's Grpc.AspNetCore.HealthChecks uses, so callers need no change when it is swapped in.</summary>
public static class GrpcHealthChecksExtensions
{
    /// <summary>
    /// Adds ASP.NET Core health checks and publishes their report into <c>grpc.health.v1.Health</c>
    /// (the server's "" status), on the health-check publisher's schedule.
    /// </summary>
    public static IHealthChecksBuilder AddGrpcHealthChecks(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<HealthServiceImpl>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHealthCheckPublisher, GrpcHealthChecksPublisher>());
        return services.AddHealthChecks();
    }
}
