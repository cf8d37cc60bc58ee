using System.Text.Json;

namespace McpPlatform.Hosting.Console;

/// <summary>
/// Turns a service's JSON log line into "level category: message" for people; any other line
/// (PostgreSQL, Redis, a crash trace) is shown as it is.
/// </summary>
internal static class LogLineFormatter
{
    public static (string Level, string Text) Format(string line)
    {
        if (!line.StartsWith('{'))
        {
            return (string.Empty, line);
        }
        try
        {
            using var json = JsonDocument.Parse(line);
            var root = json.RootElement;
            var level = root.TryGetProperty("LogLevel", out var l) ? Short(l.GetString()) : string.Empty;
            var category = root.TryGetProperty("Category", out var c) ? c.GetString() : null;
            var message = root.TryGetProperty("Message", out var m) ? m.GetString() : line;
            var exception = root.TryGetProperty("Exception", out var e) ? Environment.NewLine + e.GetString() : string.Empty;
            return (level, $"{category}: {message}{exception}");
        }
        catch (JsonException)
        {
            return (string.Empty, line);
        }
    }

    private static string Short(string? level) => level switch
    {
        "Trace" => "trce",
        "Debug" => "dbug",
        "Information" => "info",
        "Warning" => "warn",
        "Error" => "fail",
        "Critical" => "crit",
        _ => level ?? string.Empty,
    };
}
