using McpPlatform.ServiceDefaults.Health;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace McpPlatform.ServiceDefaults.Data;

/// <summary>The stand-in for Aspire.Npgsql: a data source from <c>ConnectionStrings__{name}</c> with a readiness check.</summary>
public static class NpgsqlExtensions
{
    /// <summary>
    /// Registers an <see cref="NpgsqlDataSource"/> built from the connection string named
    /// <paramref name="connectionName"/>, and a readiness check that runs <c>SELECT 1</c> on it.
    /// </summary>
    /// <exception cref="InvalidOperationException">The connection string is missing.</exception>
    public static IHostApplicationBuilder AddNpgsqlDataSource(this IHostApplicationBuilder builder, string connectionName)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionName);

        var connectionString = builder.Configuration.GetConnectionString(connectionName);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException(
                $"The connection string '{connectionName}' is missing. Set ConnectionStrings__{connectionName} " +
                $"(AppHost does this for you), e.g. 'Host=127.0.0.1;Port=5432;Database={connectionName};Username=postgres;Password=…'.");
        }

        builder.Services.AddSingleton(_ =>
        {
            var dataSource = new NpgsqlDataSourceBuilder(connectionString)
            {
                Name = connectionName,
            };
            return dataSource.Build();
        });
        builder.Services.AddHealthChecks()
            .AddCheck<NpgsqlHealthCheck>($"postgres:{connectionName}", tags: [HealthExtensions.ReadyTag]);
        return builder;
    }
}
