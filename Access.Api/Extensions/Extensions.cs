using Dapper;
using McpPlatform.Access.Api.Apis;
using McpPlatform.Access.Api.Audit;
using McpPlatform.Access.Api.Auth;
using McpPlatform.Access.Api.Bootstrap;
using McpPlatform.Access.Api.Data;
using McpPlatform.Access.Api.Grpc;
using McpPlatform.Access.Api.Keys;
using McpPlatform.Access.Api.Options;
using McpPlatform.Access.Api.Telemetry;
using McpPlatform.Access.Api.Usage;
using McpPlatform.ServiceDefaults.Data;
using McpPlatform.ServiceDefaults.Health;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace McpPlatform.Access.Api.Extensions;

/// <summary>The service's registrations; <c>Program.cs</c> stays a composition root.</summary>
internal static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddNpgsqlDataSource("accessdb");
        builder.AddPlatformStores();
        builder.Services.AddGrpc();
        builder.AddAccess();
    }

    /// <summary>Options (validated at start), schema migrations, keys, usage, audit, metrics.</summary>
    public static IHostApplicationBuilder AddAccess(this IHostApplicationBuilder builder)
    {
        // Columns are snake_case, properties PascalCase.
        DefaultTypeMap.MatchNamesWithUnderscores = true;

        var services = builder.Services;
        services.AddOptions<AccessOptions>().BindConfiguration(AccessOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AccessOptions>, AccessOptionsValidator>());
        services.AddOptions<BootstrapOptions>().BindConfiguration(BootstrapOptions.SectionName);
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.AddProblemDetails();

        services.AddSingleton<DatabaseState>();
        services.AddHealthChecks().AddCheck<DatabaseState>("access-schema", tags: [HealthExtensions.ReadyTag]);
        services.TryAddSingleton<IMigrationSource, EmbeddedMigrations>();
        services.AddSingleton<MigrationRunner>();
        services.AddSingleton<BootstrapAdmin>();
        services.AddHostedService<DatabaseInitializer>();
        services.AddHostedService<PepperWarning>();

        services.AddSingleton<AccessMetrics>();
        services.AddSingleton<AuditWriter>();
        services.AddSingleton<AuditLog>();
        services.AddSingleton<FailedValidationAuditor>();
        services.AddHostedService(provider => provider.GetRequiredService<FailedValidationAuditor>());
        services.AddSingleton<KeyHasher>();
        services.AddSingleton<KeyInvalidation>();
        services.AddSingleton<KeyStore>();
        services.AddSingleton<LastUsedTracker>();
        services.AddHostedService(provider => provider.GetRequiredService<LastUsedTracker>());
        services.AddSingleton<KeyValidator>();
        services.AddSingleton<UsageRecorder>();
        services.AddSingleton<UsageQueries>();
        services.AddSingleton<UserStore>();
        services.AddSingleton<PlanStore>();
        services.AddAccessAuthentication();
        return builder;
    }

    /// <summary>The gRPC service for gateways and the REST API (/me, /keys, /usage, /admin/*).</summary>
    public static WebApplication MapAccess(this WebApplication app)
    {
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGrpcService<AccessService>();
        app.MapMeApi();
        app.MapKeysApi();
        app.MapUsageApi();
        app.MapAdminUsersApi();
        app.MapAdminPlansApi();
        app.MapAdminAuditApi();
        return app;
    }
}
