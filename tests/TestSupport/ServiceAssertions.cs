using System.Net;
using System.Text.Json;
using Xunit;

namespace McpPlatform.TestSupport;

/// <summary>What every platform service must do from its first day: health, metrics, structured logs.</summary>
public static class ServiceAssertions
{
    /// <summary>Live and ready answer 200, and <c>/metrics</c> is valid Prometheus text with request metrics.</summary>
    public static async Task ServesHealthAndMetricsAsync(Uri service)
    {
        using var http = new HttpClient { BaseAddress = service };
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/live")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/ready")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/no-such-route")).StatusCode);

        var samples = PrometheusText.Parse(await http.GetStringAsync("/metrics"));

        Assert.Contains(samples, s => s.Name == "http_server_request_duration_seconds_count" && s.Labels.Contains("http_response_status_code=\"404\"", StringComparison.Ordinal));
        Assert.Contains(samples, s => s.Name.StartsWith("kestrel_", StringComparison.Ordinal));
    }

    /// <summary>The readiness report has <paramref name="check"/> with <paramref name="status"/>.</summary>
    public static async Task ReadinessCheckIsAsync(Uri service, string check, string status)
    {
        using var http = new HttpClient { BaseAddress = service };
        using var ready = await http.GetAsync("/health/ready");
        var report = JsonDocument.Parse(await ready.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(status, report.GetProperty("checks").GetProperty(check).GetProperty("status").GetString());
        Assert.Equal(status == "Healthy" ? HttpStatusCode.OK : HttpStatusCode.ServiceUnavailable, ready.StatusCode);
    }

    /// <summary>Every log line is a JSON object with a timestamp, a level, a category and a message.</summary>
    public static void LogsAreStructured(IReadOnlyList<JsonElement> lines)
    {
        Assert.NotEmpty(lines);
        Assert.All(lines, line =>
        {
            Assert.True(line.TryGetProperty("Timestamp", out _));
            Assert.True(line.TryGetProperty("LogLevel", out _));
            Assert.True(line.TryGetProperty("Category", out _));
            Assert.True(line.TryGetProperty("Message", out _));
        });
    }
}
