using System.Globalization;
using System.Text;

namespace McpPlatform.Redis.Bench;

/// <summary>Rows of "ours next to redis-benchmark", printed as a Markdown table.</summary>
internal sealed class ResultTable
{
    private readonly List<(string Scenario, string Ours, string Reference, string Ratio)> _rows = [];

    public void Add(string scenario, double ours, double? reference, string unit)
    {
        var ratio = reference is > 0 ? (ours / reference.Value).ToString("P0", CultureInfo.InvariantCulture) : "n/a";
        if (unit == "ms" && reference is > 0)
        {
            ratio += " (latency: lower is better)";
        }

        _rows.Add((scenario, Format(ours, unit), reference is null ? "n/a" : Format(reference.Value, unit), ratio));
    }

    public override string ToString()
    {
        var text = new StringBuilder();
        text.AppendLine("| scenario | McpPlatform.Redis | redis-benchmark | ours / redis-benchmark |");
        text.AppendLine("|---|---:|---:|---:|");
        foreach (var (scenario, ours, reference, ratio) in _rows)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {scenario} | {ours} | {reference} | {ratio} |");
        }

        return text.ToString();
    }

    private static string Format(double value, string unit) => unit == "ms"
        ? value.ToString("0.000", CultureInfo.InvariantCulture) + " ms"
        : value.ToString("N0", CultureInfo.InvariantCulture) + " " + unit;
}
