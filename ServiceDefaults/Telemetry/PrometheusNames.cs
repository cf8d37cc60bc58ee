using System.Text;

namespace McpPlatform.ServiceDefaults.Telemetry;

/// <summary>OpenTelemetry names and units to Prometheus names, following the OpenTelemetry-to-Prometheus compatibility rules.</summary>
internal static class PrometheusNames
{
    public static string MetricName(string name, string? unit)
    {
        var sanitized = Sanitize(name, allowColon: true);
        var suffix = UnitSuffix(unit);
        return suffix.Length == 0 || sanitized.EndsWith("_" + suffix, StringComparison.Ordinal)
            ? sanitized
            : sanitized + "_" + suffix;
    }

    public static string LabelName(string name) => Sanitize(name, allowColon: false);

    public static string EscapeLabelValue(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal)
            .Replace("\"", "\\\"", StringComparison.Ordinal)
            .Replace("\n", "\\n", StringComparison.Ordinal);

    public static string EscapeHelp(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal)
            .Replace("\n", "\\n", StringComparison.Ordinal);

    private static string UnitSuffix(string? unit) => unit switch
    {
        null or "" or "1" => string.Empty,
        "s" => "seconds",
        "ms" => "milliseconds",
        "us" => "microseconds",
        "By" => "bytes",
        "KiBy" => "kibibytes",
        "MiBy" => "mebibytes",
        "%" => "percent",
        _ when unit.StartsWith('{') => string.Empty, // annotations such as {request} carry no unit
        _ => Sanitize(unit.Replace("/", "_per_", StringComparison.Ordinal), allowColon: false),
    };

    private static string Sanitize(string name, bool allowColon)
    {
        var result = new StringBuilder(name.Length + 1);
        foreach (var c in name)
        {
            var valid = char.IsAsciiLetterOrDigit(c) || c == '_' || (allowColon && c == ':');
            result.Append(valid ? c : '_');
        }
        if (result.Length == 0 || char.IsAsciiDigit(result[0]))
        {
            result.Insert(0, '_');
        }
        return result.ToString();
    }
}
