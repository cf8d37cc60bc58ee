using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace McpPlatform.ServiceDefaults.Discovery;

/// <summary>Registers service-endpoint resolution for direct use and for every <see cref="HttpClient"/>.</summary>
public static class ServiceEndpointExtensions
{
    /// <summary>Adds the <see cref="ServiceEndpointResolver"/>.</summary>
    public static IServiceCollection AddServiceEndpoints(this IServiceCollection services)
    {
        services.TryAddSingleton<ServiceEndpointResolver>();
        return services;
    }

    /// <summary>
    /// Lets a client use logical addresses: <c>http://access-api/keys</c> goes to the next
    /// <c>services:access-api:http</c> address, <c>http://_grpc.dispatcher/</c> to the <c>grpc</c> endpoint.
    /// Hosts that name no configured service pass through unchanged.
    /// </summary>
    public static IHttpClientBuilder AddServiceEndpointResolution(this IHttpClientBuilder builder)
    {
        builder.Services.AddServiceEndpoints();
        builder.Services.TryAddTransient<ServiceEndpointHandler>();
        return builder.AddHttpMessageHandler<ServiceEndpointHandler>();
    }
}
