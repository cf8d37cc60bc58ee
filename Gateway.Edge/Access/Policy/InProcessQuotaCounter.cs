using System.Collections.Concurrent;

namespace McpPlatform.Gateway.Edge.Access.Policy;

/// <summary>The single-node twin of <see cref="RedisQuotaCounter"/>: counters in memory, lost on restart.</summary>
internal sealed class InProcessQuotaCounter : IQuotaCounter
{
    private readonly ConcurrentDictionary<string, StrongBox> _counters = new(StringComparer.Ordinal);

    public ValueTask<(bool Allowed, long Used)> TryConsumeAsync(string subject, long limit, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var period = QuotaPeriod.Name(now);
        var counter = _counters.GetOrAdd($"{subject}:{period}", static _ => new StrongBox());
        lock (counter)
        {
            if (counter.Value >= limit)
            {
                return ValueTask.FromResult((false, counter.Value));
            }

            counter.Value++;
            return ValueTask.FromResult((true, counter.Value));
        }
    }

    private sealed class StrongBox
    {
        public long Value;
    }
}
