using System.Diagnostics.Metrics;
using McpPlatform.ServiceDefaults.Tests.Infrastructure;
using McpPlatform.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace McpPlatform.ServiceDefaults.Tests.Telemetry;

public sealed class MetricsEndpointTests
{
    [Fact]
    public async Task Metrics_ServeValidPrometheusText_WithOurMetricAndAspNetCoreMetrics()
    {
        using var meter = new Meter("McpPlatform.Tests.Metrics");
        var calls = meter.CreateCounter<long>("mcpplatform.tests.calls", "{call}", "Calls to the test endpoint.");
        var latency = meter.CreateHistogram<double>("mcpplatform.tests.latency", "s", "Latency of the test endpoint.");
        await using var service = await TestService.StartAsync("metrics-test", app => app.MapGet("/work", () =>
        {
            calls.Add(1, new KeyValuePair<string, object?>("tool", "echo \"quoted\""));
            latency.Record(0.003);
            return Results.Ok();
        }));
        using var http = new HttpClient { BaseAddress = service.Address };

        (await http.GetAsync("/work")).EnsureSuccessStatusCode();
        (await http.GetAsync("/work")).EnsureSuccessStatusCode();
        using var response = await http.GetAsync("/metrics");
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        var samples = PrometheusText.Parse(text);
        var counter = Assert.Single(samples, s => s.Name == "mcpplatform_tests_calls_total");
        Assert.Equal(2, counter.Value);
        Assert.Equal("tool=\"echo \\\"quoted\\\"\"", counter.Labels);
        Assert.Contains(samples, s => s is { Name: "mcpplatform_tests_latency_seconds_bucket", Labels: "le=\"0.005\"", Value: 2 });
        Assert.Contains(samples, s => s is { Name: "mcpplatform_tests_latency_seconds_count", Value: 2 });
        Assert.Contains(samples, s => s.Name == "http_server_request_duration_seconds_count" && s.Labels.Contains("http_route=\"/work\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task InfrastructureEndpoints_AreNotCountedInRequestMetrics()
    {
        await using var service = await TestService.StartAsync("metrics-test", app => app.MapGet("/work", () => Results.Ok()));
        using var http = new HttpClient { BaseAddress = service.Address };

        (await http.GetAsync("/health/ready")).EnsureSuccessStatusCode();
        (await http.GetAsync("/health/live")).EnsureSuccessStatusCode();
        (await http.GetAsync("/work")).EnsureSuccessStatusCode();
        var samples = PrometheusText.Parse(await http.GetStringAsync("/metrics"));

        var routes = samples.Where(s => s.Name == "http_server_request_duration_seconds_count").Select(s => s.Labels).ToArray();
        Assert.Contains(routes, labels => labels.Contains("http_route=\"/work\"", StringComparison.Ordinal));
        Assert.DoesNotContain(routes, labels => labels.Contains("/health", StringComparison.Ordinal) || labels.Contains("/metrics", StringComparison.Ordinal));
    }
}
