using Microsoft.AspNetCore.Authentication;

namespace McpPlatform.Access.Api.Auth;

/// <summary>Bearer authentication for every REST endpoint, and the "admin" policy (role admin).</summary>
internal static class AuthExtensions
{
    public static IServiceCollection AddAccessAuthentication(this IServiceCollection services)
    {
        services.AddAuthentication(BearerAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, BearerAuthenticationHandler>(BearerAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(AccessClaims.AdminPolicy, policy => policy.RequireAuthenticatedUser().RequireRole("admin"));
        return services;
    }
}
