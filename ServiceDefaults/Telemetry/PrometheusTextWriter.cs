using System.Globalization;
using System.Text;
using OpenTelemetry.Metrics;

namespace McpPlatform.ServiceDefaults.Telemetry;

/// <summary>
/// Writes OpenTelemetry metrics in the Prometheus text exposition format 0.0.4: sanitised names,
/// unit suffixes, <c>_total</c> on monotonic counters, cumulative histogram buckets.
/// </summary>
internal sealed class PrometheusTextWriter
{
    private readonly StringBuilder _text = new();
    private readonly HashSet<string> _families = new(StringComparer.Ordinal);

    public override string ToString() => _text.ToString();

    public void Write(Metric metric)
    {
        var (type, isCounter) = metric.MetricType switch
        {
            MetricType.LongSum or MetricType.DoubleSum => ("counter", true),
            MetricType.LongSumNonMonotonic or MetricType.DoubleSumNonMonotonic => ("gauge", false),
            MetricType.LongGauge or MetricType.DoubleGauge => ("gauge", false),
            MetricType.Histogram => ("histogram", false),
            _ => (null, false), // exponential histograms are not part of the 0.0.4 text format
        };
        if (type is null)
        {
            return;
        }

        var name = PrometheusNames.MetricName(metric.Name, metric.Unit);
        var family = isCounter ? name + "_total" : name;
        if (!_families.Add(family))
        {
            return; // the same family name from two meters would make the exposition invalid
        }

        if (!string.IsNullOrEmpty(metric.Description))
        {
            _text.Append("# HELP ").Append(family).Append(' ').Append(PrometheusNames.EscapeHelp(metric.Description)).Append('\n');
        }
        _text.Append("# TYPE ").Append(family).Append(' ').Append(type).Append('\n');

        foreach (ref readonly var point in metric.GetMetricPoints())
        {
            var labels = Labels(point);
            switch (metric.MetricType)
            {
                case MetricType.LongSum or MetricType.LongSumNonMonotonic:
                    Sample(family, labels, null, point.GetSumLong());
                    break;
                case MetricType.DoubleSum or MetricType.DoubleSumNonMonotonic:
                    Sample(family, labels, null, point.GetSumDouble());
                    break;
                case MetricType.LongGauge:
                    Sample(family, labels, null, point.GetGaugeLastValueLong());
                    break;
                case MetricType.DoubleGauge:
                    Sample(family, labels, null, point.GetGaugeLastValueDouble());
                    break;
                case MetricType.Histogram:
                    WriteHistogram(family, labels, point);
                    break;
            }
        }
    }

    private void WriteHistogram(string family, string labels, in MetricPoint point)
    {
        long cumulative = 0;
        foreach (var bucket in point.GetHistogramBuckets())
        {
            cumulative += bucket.BucketCount;
            var le = double.IsPositiveInfinity(bucket.ExplicitBound) ? "+Inf" : Number(bucket.ExplicitBound);
            Sample(family + "_bucket", labels, le, cumulative);
        }
        Sample(family + "_sum", labels, null, point.GetHistogramSum());
        Sample(family + "_count", labels, null, point.GetHistogramCount());
    }

    private void Sample(string name, string labels, string? le, double value)
    {
        _text.Append(name);
        if (labels.Length > 0 || le is not null)
        {
            _text.Append('{').Append(labels);
            if (le is not null)
            {
                _text.Append(labels.Length > 0 ? "," : string.Empty).Append("le=\"").Append(le).Append('"');
            }
            _text.Append('}');
        }
        _text.Append(' ').Append(Number(value)).Append('\n');
    }

    private static string Labels(in MetricPoint point)
    {
        var labels = new StringBuilder();
        foreach (var tag in point.Tags)
        {
            if (labels.Length > 0)
            {
                labels.Append(',');
            }
            labels.Append(PrometheusNames.LabelName(tag.Key)).Append("=\"")
                .Append(PrometheusNames.EscapeLabelValue(Convert.ToString(tag.Value, CultureInfo.InvariantCulture) ?? string.Empty))
                .Append('"');
        }
        return labels.ToString();
    }

    private static string Number(double value) => value switch
    {
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        double.NaN => "NaN",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };
}
