using System.Diagnostics;
using System.Net.Http.Json;
using McpPlatform.ServiceDefaults.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace McpPlatform.ServiceDefaults.Tests.Telemetry;

/// <summary>A trace started in one service continues in the next one, over real HTTP between two Kestrel services.</summary>
public sealed class TracePropagationTests
{
    [Fact]
    public async Task TraceStartedAtOneService_CarriesItsTraceIdToAnother()
    {
        await using var downstream = await TestService.StartAsync("downstream", app =>
            app.MapGet("/trace", () => new TraceIds(Activity.Current?.TraceId.ToHexString(), Activity.Current?.ParentSpanId.ToHexString())));
        await using var upstream = await TestService.StartAsync(
            "upstream",
            app => app.MapGet("/call", async (IHttpClientFactory clients) =>
            {
                // "downstream" is a logical name, resolved from services:downstream:http:0 like every service reference.
                var theirs = await clients.CreateClient().GetFromJsonAsync<TraceIds>("http://downstream/trace");
                return new[] { new TraceIds(Activity.Current?.TraceId.ToHexString(), null), theirs! };
            }),
            new Dictionary<string, string?> { ["services:downstream:http:0"] = downstream.Address.ToString() });
        using var http = new HttpClient { BaseAddress = upstream.Address };

        var ids = await http.GetFromJsonAsync<TraceIds[]>("/call");

        Assert.NotNull(ids);
        Assert.Matches("^[0-9a-f]{32}$", ids[0].TraceId);
        Assert.Equal(ids[0].TraceId, ids[1].TraceId);
        Assert.NotEqual("0000000000000000", ids[1].ParentSpanId);
    }

    [Fact]
    public async Task IncomingTraceparent_IsContinued()
    {
        await using var service = await TestService.StartAsync("single", app =>
            app.MapGet("/trace", () => new TraceIds(Activity.Current?.TraceId.ToHexString(), Activity.Current?.ParentSpanId.ToHexString())));
        using var http = new HttpClient { BaseAddress = service.Address };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/trace");
        request.Headers.Add("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");

        using var response = await http.SendAsync(request);
        var ids = await response.Content.ReadFromJsonAsync<TraceIds>();

        Assert.Equal("4bf92f3577b34da6a3ce929d0e0e4736", ids?.TraceId);
        Assert.Equal("00f067aa0ba902b7", ids?.ParentSpanId);
    }

    private sealed record TraceIds(string? TraceId, string? ParentSpanId);
}
