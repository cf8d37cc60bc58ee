using System.Collections.Concurrent;
using System.Text;
using McpPlatform.ServiceDefaults.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace McpPlatform.ServiceDefaults.Tests.Telemetry;

/// <summary>With OTEL_EXPORTER_OTLP_ENDPOINT set, traces, metrics and logs reach a collector over OTLP/HTTP.</summary>
public sealed class OtlpExportTests
{
    [Fact]
    public async Task OtlpEndpointSet_ExportsTracesMetricsAndLogs_WithTheServiceName()
    {
        var received = new ConcurrentDictionary<string, byte[]>();
        await using var collector = await TestService.StartAsync("collector", app =>
            app.MapPost("/v1/{signal}", async (string signal, HttpRequest request) =>
            {
                using var body = new MemoryStream();
                await request.Body.CopyToAsync(body);
                Assert.Equal("application/x-protobuf", request.ContentType);
                received.AddOrUpdate(signal, body.ToArray(), (_, previous) => [.. previous, .. body.ToArray()]);
                return Results.Ok();
            }));

        var service = await TestService.StartAsync(
            "otlp-exporting-service",
            app => app.MapGet("/work", () => Results.Ok()),
            new Dictionary<string, string?>
            {
                ["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.Address.ToString(),
                ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
                ["Logging:LogLevel:Default"] = "Information",
            });
        using (var http = new HttpClient { BaseAddress = service.Address })
        {
            (await http.GetAsync("/work")).EnsureSuccessStatusCode();
        }
        await service.DisposeAsync(); // stopping flushes every exporter

        foreach (var signal in new[] { "traces", "metrics", "logs" })
        {
            Assert.True(received.TryGetValue(signal, out var payload), $"no {signal} reached the collector");
            Assert.Contains("otlp-exporting-service", Encoding.UTF8.GetString(payload), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task UnsupportedProtocol_FailsAtStartWithTheAllowedValues()
    {
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => TestService.StartAsync(
            "bad-otlp",
            _ => { },
            new Dictionary<string, string?>
            {
                ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://127.0.0.1:4318",
                ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "carrier-pigeon",
            }));

        Assert.Contains("'grpc' or 'http/protobuf'", failure.Message, StringComparison.Ordinal);
    }
}
