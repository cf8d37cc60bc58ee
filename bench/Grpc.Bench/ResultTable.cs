using System.Globalization;
using System.Text;

namespace McpPlatform.Bench.Grpc;

/// <summary>The comparison table, as Markdown.</summary>
public sealed class ResultTable
{
    private readonly List<(string Metric, int Concurrency, double Ours, double Theirs)> _rows = [];

    public void Add(string metric, int concurrency, double ours, double theirs) => _rows.Add((metric, concurrency, ours, theirs));

    public string ToMarkdown()
    {
        var builder = new StringBuilder();
        builder.AppendLine("| metric | concurrent calls | ours (client -> server) | grpc-js (client -> server) | ours / grpc-js |");
        builder.AppendLine("|---|---:|---:|---:|---:|");
        foreach (var (metric, concurrency, ours, theirs) in _rows)
        {
            builder.AppendLine(CultureInfo.InvariantCulture, $"| {metric} | {concurrency} | {ours:N0} | {theirs:N0} | {ours / theirs:F2} |");
        }

        return builder.ToString();
    }
}
