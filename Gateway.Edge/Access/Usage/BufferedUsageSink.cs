using System.Threading.Channels;
using McpPlatform.Contracts.Access.V1;
using McpPlatform.Gateway.Edge.Access.Options;
using McpPlatform.Gateway.Edge.Access.Telemetry;
using McpPlatform.Redis;
using Microsoft.Extensions.Options;

namespace McpPlatform.Gateway.Edge.Access.Usage;

/// <summary>
/// <see cref="IUsageSink"/> for the request path: <see cref="Record"/> only queues (never blocks, never throws); a
/// background loop appends what was queued to the durable <see cref="IUsageBuffer"/> in batches, gathered for
/// <see cref="UsageOptions.AppendWindow"/> (an event is durable once appended; until then it is only in memory). While Redis refuses
/// writes the events wait here (up to 100,000; beyond that they are dropped and counted), and are appended once it
/// is back. On shutdown what is queued is appended before the process exits.
/// </summary>
internal sealed class BufferedUsageSink(
    IUsageBuffer buffer,
    IOptionsMonitor<AccessOptions> options,
    AccessMetrics metrics,
    TimeProvider time,
    ILogger<BufferedUsageSink> logger)
    : BackgroundService, IUsageSink
{
    private const int Capacity = 100_000;
    private const int AppendBatch = 256;

    private readonly Channel<UsageEvent> _queue = Channel.CreateBounded<UsageEvent>(new BoundedChannelOptions(Capacity)
    {
        FullMode = BoundedChannelFullMode.DropWrite,
        SingleReader = true,
    });

    private readonly string _gatewayId = $"{Environment.MachineName}-{Environment.ProcessId}";

    public void Record(UsageRecord usage)
    {
        ArgumentNullException.ThrowIfNull(usage);
        if (!_queue.Writer.TryWrite(UsageEvents.From(usage, _gatewayId)))
        {
            metrics.Dropped();
            AccessLog.Dropped(logger, 1);
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // Let the loop finish what is queued (it ends when the queue is empty), within the host's shutdown time.
        _queue.Writer.TryComplete();
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<UsageEvent>(AppendBatch);
        var delay = TimeSpan.FromMilliseconds(200);
        var reader = _queue.Reader;

        // Not the stopping token: on shutdown the queue is completed instead, so what is in it still gets appended.
        // A batch kept after a failed append is retried even when nothing new is queued.
        while (batch.Count > 0 || await reader.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
        {
            // Gather for a few milliseconds: one stream entry (one XADD, one wake-up of redis-server) for many calls.
            var window = options.CurrentValue.Usage.AppendWindow;
            if (window > TimeSpan.Zero && batch.Count == 0 && reader.Count < AppendBatch && !stoppingToken.IsCancellationRequested)
            {
                await Task.Delay(window, time, CancellationToken.None).ConfigureAwait(false);
            }

            while (batch.Count < AppendBatch && reader.TryRead(out var usage))
            {
                batch.Add(usage);
            }

            try
            {
                await buffer.AppendAsync(batch, CancellationToken.None).ConfigureAwait(false);
                batch.Clear();
                delay = TimeSpan.FromMilliseconds(200);
            }
            catch (Exception exception) when (exception is RedisException or TimeoutException)
            {
                AccessLog.AppendFailed(logger, batch.Count, exception.Message);
                if (stoppingToken.IsCancellationRequested)
                {
                    metrics.Dropped(batch.Count);
                    AccessLog.Dropped(logger, batch.Count);
                    return;
                }

                await Task.Delay(delay, time, CancellationToken.None).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
            }
        }
    }
}
