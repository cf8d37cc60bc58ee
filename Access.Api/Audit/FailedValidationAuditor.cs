using System.Text.Json.Nodes;
using System.Threading.Channels;
using McpPlatform.Access.Api.Options;
using McpPlatform.Contracts.Access.V1;
using McpPlatform.Contracts.Keys;
using Microsoft.Extensions.Options;
using Npgsql;

namespace McpPlatform.Access.Api.Audit;

/// <summary>
/// Audits failed validations off the request path, at most Access:FailedValidationAuditsPerMinute rows a minute: the
/// rest are counted and written as one "key.validate.suppressed" row when the minute ends, so a flood of bad keys
/// cannot fill the log (or slow validation down). Only the key's display prefix is recorded, never the key.
/// </summary>
internal sealed partial class FailedValidationAuditor(AuditLog audit, IOptions<AccessOptions> options, TimeProvider time, ILogger<FailedValidationAuditor> logger)
    : BackgroundService
{
    private readonly Channel<AuditEntry> _queue = Channel.CreateBounded<AuditEntry>(
        new BoundedChannelOptions(1024) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    private readonly Lock _lock = new();
    private long _windowStart;
    private int _inWindow;
    private int _suppressed;

    public void Record(Rejection.Types.Reason reason, string? key, string server, string clientIp, string message)
    {
        var now = time.GetUtcNow();
        int suppressedBefore;
        lock (_lock)
        {
            var minute = now.ToUnixTimeSeconds() / 60;
            suppressedBefore = 0;
            if (minute != _windowStart)
            {
                suppressedBefore = _suppressed;
                _windowStart = minute;
                _inWindow = 0;
                _suppressed = 0;
            }

            if (_inWindow >= options.Value.FailedValidationAuditsPerMinute)
            {
                _suppressed++;
                return;
            }

            _inWindow++;
        }

        if (suppressedBefore > 0)
        {
            _queue.Writer.TryWrite(new AuditEntry(now.UtcDateTime, "anonymous", "key.validate.suppressed", "", "",
                new JsonObject { ["count"] = suppressedBefore }));
        }

        var prefix = reason is Rejection.Types.Reason.Malformed || key is null ? "" : ApiKeyFormat.DisplayPrefix(key);
        _queue.Writer.TryWrite(new AuditEntry(now.UtcDateTime, "anonymous", "key.validate.failed", prefix, Truncate(clientIp, 64),
            new JsonObject { ["reason"] = Keys.KeyValidator.ResultName(reason), ["server"] = Truncate(server, 200), ["message"] = message }));
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<AuditEntry>();
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken).ConfigureAwait(false))
            {
                batch.Clear();
                while (batch.Count < 256 && _queue.Reader.TryRead(out var entry))
                {
                    batch.Add(entry);
                }

                try
                {
                    await audit.AppendAsync(batch, stoppingToken).ConfigureAwait(false);
                }
                catch (Exception exception) when (exception is NpgsqlException or TimeoutException)
                {
                    LogDropped(logger, batch.Count, exception.Message);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private static string Truncate(string value, int length) => value.Length <= length ? value : value[..length];

    [LoggerMessage(1, LogLevel.Warning, "Dropped {Count} failed-validation audit rows: {Reason}")]
    private static partial void LogDropped(ILogger logger, int count, string reason);
}
