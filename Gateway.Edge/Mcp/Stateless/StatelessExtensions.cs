using Microsoft.Extensions.Options;

namespace McpPlatform.Gateway.Edge.Mcp.Stateless;

/// <summary>The 2026-07-28 revision on <c>/mcp/{server}</c>; <see cref="Transport.PostHandler"/> hands it the POSTs <see cref="StatelessRevision.Claims"/>.</summary>
internal static class StatelessExtensions
{
    public static IServiceCollection AddStatelessMcp(this IServiceCollection services)
    {
        services.AddOptions<StatelessOptions>().BindConfiguration(StatelessOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<StatelessOptions>, StatelessOptionsValidator>();
        services.AddSingleton<ListChangedFeed>();
        services.AddSingleton<ListenHandler>();
        services.AddSingleton<InputStateProtector>();
        services.AddSingleton<ReplicaAddress>();
        services.AddSingleton<ParkedCallOwners>();
        services.AddSingleton<ParkedCallForwarder>();
        services.AddSingleton<ParkedCalls>();
        services.AddSingleton<PrivateSession>();
        services.AddSingleton<SessionBridge>();
        services.AddSingleton<StatelessHandler>();
        return services;
    }
}
