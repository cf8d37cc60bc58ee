using McpPlatform.Contracts.Access.V1;
using McpPlatform.Gateway.Edge.Access.Options;
using McpPlatform.Gateway.Edge.Access.Telemetry;
using Microsoft.Extensions.Options;

namespace McpPlatform.Gateway.Edge.Access.Usage;

/// <summary>
/// The single-node buffer: a bounded queue in memory (a restart loses what was not stored yet, and start-up says so).
/// Entry ids are a sequence number; event ids were chosen when the call was recorded.
/// </summary>
internal sealed class InProcessUsageBuffer : IUsageBuffer
{
    private readonly Lock _lock = new();
    private readonly LinkedList<BufferedUsage> _queue = new();
    private readonly SemaphoreSlim _appended = new(0);
    private readonly IOptionsMonitor<AccessOptions> _options;
    private readonly AccessMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger<InProcessUsageBuffer> _logger;
    private long _sequence;

    public InProcessUsageBuffer(IOptionsMonitor<AccessOptions> options, AccessMetrics metrics, TimeProvider time, ILogger<InProcessUsageBuffer> logger)
    {
        _options = options;
        _metrics = metrics;
        _time = time;
        _logger = logger;
        AccessLog.InProcessBuffer(logger);
        metrics.TrackBufferDepth(() => Depth);
    }

    public long Depth
    {
        get
        {
            lock (_lock)
            {
                return _queue.Count;
            }
        }
    }

    public ValueTask AppendAsync(IReadOnlyList<UsageEvent> events, CancellationToken cancellationToken)
    {
        var capacity = _options.CurrentValue.Usage.InProcessCapacity;
        var dropped = 0;
        lock (_lock)
        {
            foreach (var usage in events)
            {
                if (_queue.Count >= capacity)
                {
                    dropped++;
                    continue;
                }

                _queue.AddLast(new BufferedUsage((++_sequence).ToString(System.Globalization.CultureInfo.InvariantCulture), [usage]));
            }
        }

        if (dropped > 0)
        {
            _metrics.Dropped(dropped);
            AccessLog.Dropped(_logger, dropped);
        }

        _appended.Release();
        return ValueTask.CompletedTask;
    }

    public async ValueTask<IReadOnlyList<BufferedUsage>> ReadAsync(int max, TimeSpan wait, TimeSpan window, CancellationToken cancellationToken)
    {
        var batch = Peek(max);
        if (batch.Count == 0 && await _appended.WaitAsync(wait, cancellationToken).ConfigureAwait(false))
        {
            batch = Peek(max);
        }

        if (batch.Count > 0 && batch.Count < max && window > TimeSpan.Zero)
        {
            await Task.Delay(window, _time, cancellationToken).ConfigureAwait(false);
            batch = Peek(max);
        }

        return batch;
    }

    public ValueTask AcknowledgeAsync(IReadOnlyList<string> entryIds, CancellationToken cancellationToken)
    {
        var done = entryIds.ToHashSet(StringComparer.Ordinal);
        lock (_lock)
        {
            // Only the drainer reads, always from the head, so acknowledged entries are at the head.
            while (_queue.First is { } first && done.Contains(first.Value.EntryId))
            {
                _queue.RemoveFirst();
            }
        }

        return ValueTask.CompletedTask;
    }

    private List<BufferedUsage> Peek(int max)
    {
        lock (_lock)
        {
            return [.. _queue.Take(max)];
        }
    }
}
