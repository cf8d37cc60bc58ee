using System.Reflection;
using Grpc.AspNetCore.Server;
using Grpc.Core;
using Grpc.HealthCheck;
using McpPlatform.StandIns.Grpc.Server;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps gRPC services onto endpoint routing.</summary>
public static class GrpcEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps every method of <typeparamref name="TService"/> (a class deriving from a generated
    /// <c>XxxBase</c>) as <c>POST /package.Service/Method</c>. The first call also maps the standard
    /// health service and the UNIMPLEMENTED answer for unknown services and methods.
    /// </summary>
    public static GrpcServiceEndpointConventionBuilder MapGrpcService<TService>(this IEndpointRouteBuilder builder)
        where TService : class
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.ServiceProvider;
        var marker = services.GetService<GrpcMarkerService>()
            ?? throw new InvalidOperationException("Unable to find the required services. Add them by calling 'IServiceCollection.AddGrpc' in the application startup code.");
        var options = services.GetRequiredService<IOptions<GrpcServiceOptions>>().Value;

        if (typeof(TService) == typeof(HealthServiceImpl) && marker.MappedServices.Contains("grpc.health.v1.Health"))
        {
            return new GrpcServiceEndpointConventionBuilder([]);
        }

        var conventions = MapService<TService>(builder, marker, options);
        if (!marker.FallbackMapped)
        {
            marker.FallbackMapped = true;
            if (!marker.MappedServices.Contains("grpc.health.v1.Health"))
            {
                MapService<HealthServiceImpl>(builder, marker, options);
            }

            builder.MapPost(UnimplementedEndpoint.Pattern, UnimplementedEndpoint.Create(marker, options))
                .WithDisplayName("gRPC - Unimplemented")
                .Add(b => ((RouteEndpointBuilder)b).Order = int.MaxValue);
        }

        return conventions;
    }

    /// <summary>
    /// Maps the standard health service. <see cref="MapGrpcService{TService}"/> already does this, so
    /// this exists for code written against grpc-dotnet's Grpc.AspNetCore.HealthChecks.
    /// </summary>
    public static GrpcServiceEndpointConventionBuilder MapGrpcHealthChecksService(this IEndpointRouteBuilder builder) =>
        builder.MapGrpcService<HealthServiceImpl>();

    private static GrpcServiceEndpointConventionBuilder MapService<TService>(IEndpointRouteBuilder builder, GrpcMarkerService marker, GrpcServiceOptions options)
        where TService : class
    {
        var logger = builder.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger("McpPlatform.Grpc.Server");
        var binder = new ServiceMethodBinder<TService>(options, logger);
        InvokeBindService<TService>(binder);

        var conventionBuilders = new List<IEndpointConventionBuilder>();
        foreach (var (method, handler) in binder.Methods)
        {
            marker.MappedServices.Add(method.ServiceName);
            conventionBuilders.Add(builder.MapPost(method.FullName, handler).WithDisplayName($"gRPC - {method.FullName}"));
        }

        return new GrpcServiceEndpointConventionBuilder(conventionBuilders);
    }

    private static void InvokeBindService<TService>(ServiceBinderBase binder)
    {
        var attribute = typeof(TService).GetCustomAttribute<BindServiceMethodAttribute>(inherit: true)
            ?? throw new InvalidOperationException($"{typeof(TService)} does not derive from a generated gRPC service base class ([BindServiceMethod] not found).");
        var bind = attribute.BindType
            .GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)
            .FirstOrDefault(m => m.Name == attribute.BindMethodName && m.GetParameters() is [var first, var second]
                && first.ParameterType == typeof(ServiceBinderBase) && second.ParameterType.IsAssignableFrom(typeof(TService)))
            ?? throw new InvalidOperationException($"{attribute.BindType}.{attribute.BindMethodName}(ServiceBinderBase, ...) not found.");
        bind.Invoke(null, [binder, null]);
    }
}
