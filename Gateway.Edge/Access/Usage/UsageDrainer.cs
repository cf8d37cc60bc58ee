using Grpc.Core;
using McpPlatform.Contracts.Access.V1;
using McpPlatform.Gateway.Edge.Access.Keys;
using McpPlatform.Gateway.Edge.Access.Options;
using McpPlatform.Gateway.Edge.Access.Telemetry;
using McpPlatform.Redis;
using Microsoft.Extensions.Options;

namespace McpPlatform.Gateway.Edge.Access.Usage;

/// <summary>
/// Drains the usage buffer into Access.Api: read a batch (up to <see cref="UsageOptions.BatchSize"/> entries, gathered
/// for up to <see cref="UsageOptions.BatchWindow"/> after the first), <c>RecordUsage</c> its events (in requests of at
/// most <see cref="UsageOptions.BatchSize"/> events), and only after every one succeeded acknowledge the entries.
/// While Access.Api or PostgreSQL is down the batch stays buffered and is retried with back-off (0.5 s doubling to
/// <see cref="UsageOptions.MaxRetryDelay"/>); Access.Api ignores event ids it already has, so a batch stored just
/// before its answer was lost (or half of one) is not counted twice. A batch Access.Api refuses as bad
/// (INVALID_ARGUMENT, INTERNAL) is split in halves until the bad entry is alone; that entry's events are then sent one
/// by one, and an event refused three times is dropped (logged and counted), so one odd event can never stop the rest.
/// </summary>
internal sealed class UsageDrainer(
    IUsageBuffer buffer,
    AccessApiClient client,
    AccessMetrics metrics,
    IOptionsMonitor<AccessOptions> options,
    TimeProvider time,
    ILogger<UsageDrainer> logger) : BackgroundService
{
    private static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan ReadWait = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = FirstDelay;
        var failures = 0;
        var limit = options.CurrentValue.Usage.BatchSize;
        var refusals = 0;
        var oneByOne = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            IReadOnlyList<BufferedUsage> batch;
            try
            {
                batch = await buffer.ReadAsync(limit, ReadWait, options.CurrentValue.Usage.BatchWindow, stoppingToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is RedisException or TimeoutException)
            {
                AccessLog.DrainFailed(logger, 0, exception.Message, delay);
                delay = await BackOffAsync(delay, stoppingToken).ConfigureAwait(false);
                continue;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }

            if (batch.Count == 0)
            {
                continue;
            }

            var events = batch.SelectMany(entry => entry.Events).ToList();
            try
            {
                if (oneByOne && batch.Count == 1)
                {
                    await RecordOneByOneAsync(events, stoppingToken).ConfigureAwait(false);
                }
                else
                {
                    await RecordAsync(events, options.CurrentValue.Usage.BatchSize, stoppingToken).ConfigureAwait(false);
                }

                await buffer.AcknowledgeAsync([.. batch.Select(entry => entry.EntryId)], stoppingToken).ConfigureAwait(false);
                metrics.Drained(events.Count);
                if (failures > 0)
                {
                    AccessLog.DrainRecovered(logger, events.Count, failures);
                }

                failures = 0;
                refusals = 0;
                oneByOne = false;
                delay = FirstDelay;
                limit = Math.Min(options.CurrentValue.Usage.BatchSize, limit * 2);
            }
            catch (RpcException exception) when (IsRefusal(exception) && !stoppingToken.IsCancellationRequested)
            {
                metrics.DrainFailed();
                failures++;
                if (batch.Count > 1)
                {
                    limit = Math.Max(1, batch.Count / 2);
                }
                else if (events.Count > 1)
                {
                    // One entry, several events (one gateway append): find the bad one among them.
                    oneByOne = true;
                }
                else if (++refusals >= 3)
                {
                    AccessLog.Dropped(logger, events.Count);
                    metrics.Dropped(events.Count);
                    await AcknowledgeQuietlyAsync(batch, stoppingToken).ConfigureAwait(false);
                    refusals = 0;
                }

                AccessLog.DrainFailed(logger, batch.Count, $"{exception.StatusCode}: {exception.Status.Detail}", delay);
                delay = await BackOffAsync(delay, stoppingToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is RpcException or RedisException or TimeoutException && !stoppingToken.IsCancellationRequested)
            {
                metrics.DrainFailed();
                failures++;
                AccessLog.DrainFailed(logger, batch.Count, exception is RpcException rpc ? $"{rpc.StatusCode}: {rpc.Status.Detail}" : exception.Message, delay);
                delay = await BackOffAsync(delay, stoppingToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is OperationCanceledException or RpcException && stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private static bool IsRefusal(RpcException exception) => exception.StatusCode is StatusCode.InvalidArgument or StatusCode.Internal;

    /// <summary>The events in requests of at most <paramref name="perRequest"/> (Access.Api's batch limit).</summary>
    private async Task RecordAsync(List<UsageEvent> events, int perRequest, CancellationToken cancellationToken)
    {
        for (var start = 0; start < events.Count; start += perRequest)
        {
            var request = new RecordUsageRequest();
            request.Events.AddRange(events.Skip(start).Take(perRequest));
            await client.RecordUsageAsync(request, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// One refused entry's events, each alone: an event refused three times is dropped, the others stored. A failure
    /// that is not a refusal (Access.Api unreachable) stops here; the entry is read again and its events sent again
    /// (those already stored are ignored by event id).
    /// </summary>
    private async Task RecordOneByOneAsync(List<UsageEvent> events, CancellationToken cancellationToken)
    {
        foreach (var usage in events)
        {
            for (var refused = 1; ; refused++)
            {
                try
                {
                    await client.RecordUsageAsync(new RecordUsageRequest { Events = { usage } }, cancellationToken).ConfigureAwait(false);
                    break;
                }
                catch (RpcException exception) when (IsRefusal(exception) && refused < 3)
                {
                    metrics.DrainFailed();
                    await Task.Delay(FirstDelay, time, cancellationToken).ConfigureAwait(false);
                }
                catch (RpcException exception) when (IsRefusal(exception))
                {
                    AccessLog.Dropped(logger, 1);
                    metrics.Dropped();
                    break;
                }
            }
        }
    }

    private async Task AcknowledgeQuietlyAsync(IReadOnlyList<BufferedUsage> batch, CancellationToken cancellationToken)
    {
        try
        {
            await buffer.AcknowledgeAsync([.. batch.Select(entry => entry.EntryId)], cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            AccessLog.AppendFailed(logger, batch.Count, exception.Message);
        }
    }

    private async Task<TimeSpan> BackOffAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        var max = options.CurrentValue.Usage.MaxRetryDelay;
        return delay * 2 > max ? max : delay * 2;
    }
}
