using McpPlatform.Gateway.Edge.Access.Development;

namespace McpPlatform.Gateway.Edge.Access;

/// <summary>Registers the gateway's access layer: authentication, per-call policy and usage metering.</summary>
internal static class AccessExtensions
{
    public static IHostApplicationBuilder AddGatewayAccess(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<DevelopmentAccessOptions>().BindConfiguration(DevelopmentAccessOptions.SectionName);
        builder.Services.AddSingleton<DevelopmentAccess>();
        builder.Services.AddSingleton<ICallerAuthenticator>(sp => sp.GetRequiredService<DevelopmentAccess>());
        builder.Services.AddSingleton<ICallPolicy>(sp => sp.GetRequiredService<DevelopmentAccess>());
        builder.Services.AddSingleton<IUsageSink>(sp => sp.GetRequiredService<DevelopmentAccess>());
        return builder;
    }
}
