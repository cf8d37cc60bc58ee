using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace McpPlatform.ServiceDefaults.Telemetry;

/// <summary>
/// A pull reader: nothing is collected until a scrape asks for it (OpenTelemetry.Exporter.Prometheus
/// is absent from the feed). Scrapes are serialised because one collection feeds one exporter.
/// </summary>
public sealed class PrometheusMetricReader : BaseExportingMetricReader
{
    private readonly PrometheusTextExporter _exporter;
    private readonly Lock _scrapeLock = new();

    /// <summary>Creates the reader with its own text exporter.</summary>
    public PrometheusMetricReader()
        : this(new PrometheusTextExporter())
    {
    }

    private PrometheusMetricReader(PrometheusTextExporter exporter)
        : base(exporter)
    {
        _exporter = exporter;
    }

    /// <summary>Collects every metric now and returns them in the Prometheus text format 0.0.4.</summary>
    public string Scrape(int timeoutMilliseconds = 5_000)
    {
        lock (_scrapeLock)
        {
            _exporter.BeginScrape();
            return Collect(timeoutMilliseconds) ? _exporter.EndScrape() : string.Empty;
        }
    }

    // Declared as a push exporter on purpose: OpenTelemetry only lets its own Prometheus package
    // collect a pull exporter (an internal scope). Nothing pushes here anyway: this reader has no
    // timer, so collections happen on scrapes, and on the provider's final flush, which is ignored.
    private sealed class PrometheusTextExporter : BaseExporter<Metric>
    {
        private PrometheusTextWriter? _writer;

        public void BeginScrape() => _writer = new PrometheusTextWriter();

        public string EndScrape()
        {
            var text = _writer?.ToString() ?? string.Empty;
            _writer = null;
            return text;
        }

        public override ExportResult Export(in Batch<Metric> batch)
        {
            if (_writer is null)
            {
                return ExportResult.Success; // a flush outside a scrape: nobody is asking
            }
            foreach (var metric in batch)
            {
                _writer.Write(metric);
            }
            return ExportResult.Success;
        }
    }
}
