using System.Collections.Concurrent;
using McpPlatform.Access.Api.Options;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace McpPlatform.Access.Api.Keys;

/// <summary>
/// Remembers when each key was last validated and writes those times in one UPDATE per interval, so a busy key
/// costs no write per request. A time lost in a crash is only a slightly older last_used_at.
/// </summary>
internal sealed partial class LastUsedTracker(NpgsqlDataSource dataSource, IOptions<AccessOptions> options, TimeProvider time, ILogger<LastUsedTracker> logger)
    : BackgroundService
{
    private ConcurrentDictionary<Guid, DateTime> _pending = new();

    public void Touch(Guid keyId, DateTime at) => _pending[keyId] = at;

    /// <summary>Writes what is pending now (also called on stop).</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        var batch = Interlocked.Exchange(ref _pending, new ConcurrentDictionary<Guid, DateTime>());
        if (batch.IsEmpty)
        {
            return;
        }

        await using var command = dataSource.CreateCommand(
            """
            UPDATE api_keys k SET last_used_at = v.at
            FROM unnest(@ids, @ats) AS v(id, at)
            WHERE k.id = v.id AND (k.last_used_at IS NULL OR k.last_used_at < v.at)
            """);
        command.Parameters.Add(new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = batch.Keys.ToArray() });
        command.Parameters.Add(new NpgsqlParameter("ats", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { Value = batch.Values.ToArray() });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.LastUsedFlushInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                await FlushQuietlyAsync(stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        await FlushQuietlyAsync(CancellationToken.None).ConfigureAwait(false);
    }

    private async Task FlushQuietlyAsync(CancellationToken cancellationToken)
    {
        try
        {
            await FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is NpgsqlException or TimeoutException)
        {
            LogFlushFailed(logger, exception.Message);
        }
    }

    [LoggerMessage(1, LogLevel.Warning, "Could not write last-used times ({Reason}); they are dropped")]
    private static partial void LogFlushFailed(ILogger logger, string reason);
}
