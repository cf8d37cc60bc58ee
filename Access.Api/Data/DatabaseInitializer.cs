using McpPlatform.Access.Api.Bootstrap;
using Npgsql;

namespace McpPlatform.Access.Api.Data;

/// <summary>
/// Migrates the schema and writes the bootstrap data at start. PostgreSQL being unreachable is waited out (the
/// service stays live, not ready); a failed or edited migration stops the service with exit code 1 and a message
/// that names the migration.
/// </summary>
internal sealed partial class DatabaseInitializer(
    MigrationRunner runner,
    IMigrationSource source,
    BootstrapAdmin bootstrap,
    DatabaseState state,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILogger<DatabaseInitializer> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (true)
            {
                try
                {
                    var applied = await runner.ApplyAsync(source.Migrations(), stoppingToken).ConfigureAwait(false);
                    foreach (var name in applied)
                    {
                        LogApplied(logger, name);
                    }

                    await bootstrap.EnsureAsync(stoppingToken).ConfigureAwait(false);
                    state.MarkReady();
                    return;
                }
                catch (Exception exception) when (exception is NpgsqlException { IsTransient: true } or TimeoutException
                                                  || exception is NpgsqlException { InnerException: System.Net.Sockets.SocketException })
                {
                    LogWaiting(logger, exception.Message);
                    await Task.Delay(TimeSpan.FromSeconds(2), time, stoppingToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception exception) when (exception is MigrationException or PostgresException or BootstrapException)
        {
            LogFailed(logger, exception.Message, exception);
            state.MarkFailed(exception);
            Environment.ExitCode = 1;
            lifetime.StopApplication();
        }
    }

    [LoggerMessage(1, LogLevel.Information, "Applied migration {Migration}")]
    private static partial void LogApplied(ILogger logger, string migration);

    [LoggerMessage(2, LogLevel.Warning, "PostgreSQL is not reachable yet ({Reason}); retrying in 2 s")]
    private static partial void LogWaiting(ILogger logger, string reason);

    [LoggerMessage(3, LogLevel.Critical, "Access.Api cannot start: {Reason}")]
    private static partial void LogFailed(ILogger logger, string reason, Exception exception);
}
