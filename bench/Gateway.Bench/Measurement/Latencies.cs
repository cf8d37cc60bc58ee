using System.Diagnostics;

namespace McpPlatform.Bench.Gateway.Measurement;

/// <summary>Latencies in Stopwatch ticks, safe to add from many tasks; percentiles in milliseconds.</summary>
public sealed class Latencies
{
    private readonly List<long> _ticks = [];

    public int Count
    {
        get
        {
            lock (_ticks)
            {
                return _ticks.Count;
            }
        }
    }

    public void Add(long ticks)
    {
        lock (_ticks)
        {
            _ticks.Add(ticks);
        }
    }

    public void AddRange(IEnumerable<long> ticks)
    {
        lock (_ticks)
        {
            _ticks.AddRange(ticks);
        }
    }

    /// <summary>The <paramref name="percentile"/>th percentile (0–100) in ms; NaN when empty.</summary>
    public double Percentile(double percentile)
    {
        long[] sorted;
        lock (_ticks)
        {
            sorted = [.. _ticks];
        }
        if (sorted.Length == 0)
        {
            return double.NaN;
        }
        Array.Sort(sorted);
        var index = (int)Math.Ceiling(percentile / 100 * sorted.Length) - 1;
        return sorted[Math.Clamp(index, 0, sorted.Length - 1)] * 1000.0 / Stopwatch.Frequency;
    }
}
